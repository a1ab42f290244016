"""The password hasher: Argon2id at the OWASP-recommended cost instead of Django's default.

Django's Argon2PasswordHasher uses 100 MiB of memory and 8 lanes (time_cost 2): about 200 ms
of CPU per hash on this project's 2-core servers, so a login costs 286 ms of CPU and a
morning in which 100,000 managers log in takes 4.5 hours of one machine. The OWASP Password
Storage Cheat Sheet ("Argon2id", https://cheatsheetseries.owasp.org/cheatsheets/
Password_Storage_Cheat_Sheet.html) lists equivalent minimum configurations: m=47104 (46 MiB)
t=1 p=1, m=19456 (19 MiB) t=2 p=1, m=12288 (12 MiB) t=3 p=1, m=9216 (9 MiB) t=4 p=1, m=7168
(7 MiB) t=5 p=1. We take the first one it names as the minimum, m=19 MiB, t=2, p=1: about
22 ms of CPU here (benchmarks/login.py measures it and the login beside it).

The algorithm's name stays "argon2", so every stored hash, old parameters included, is
verified by this class; `must_update` compares the stored parameters with these, and Django
rehashes the password with these at the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    # OWASP Password Storage Cheat Sheet, Argon2id: "m=19456 (19 MiB), t=2, p=1".
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def harden_runtime(self, password, encoded):
        """Nothing to pad: a hash made with other parameters (Django's defaults, before this
        class) costs more to verify than one made with these, never less."""
