// casspath: the live SMS count under a Q&A card's answer (the rule of casspath/analytics/sms.py:
// GSM 7-bit 160 septets, extension-table characters count two; any other character makes the
// message UCS-2, 70 UTF-16 units). The server says the same on save; this only counts as one types.
(function () {
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "\f^{}\\[~]|€";
  function count(text) {
    var chars = Array.from(text), gsm = chars.every(function (ch) {
      return BASIC.indexOf(ch) >= 0 || EXTENDED.indexOf(ch) >= 0;
    });
    if (gsm) {
      var septets = chars.reduce(function (n, ch) { return n + (EXTENDED.indexOf(ch) >= 0 ? 2 : 1); }, 0);
      return { length: septets, limit: 160, part: 153, gsm: true };
    }
    return { length: text.length, limit: 70, part: 67, gsm: false };  // .length counts UTF-16 units
  }
  function update(area, out) {
    var c = count(area.value.replace(/\r\n/g, "\n"));
    var parts = c.length === 0 ? 0 : (c.length <= c.limit ? 1 : Math.ceil(c.length / c.part));
    var tpl = out.dataset[c.length <= c.limit ? "fits" : "over"];
    out.textContent = tpl.replace("%(length)s", c.length).replace("%(limit)s", c.limit)
      .replace("%(parts)s", parts).replace("%(encoding)s", out.dataset[c.gsm ? "gsm7" : "ucs2"]);
    out.classList.toggle("text-danger", c.length > c.limit);
    out.classList.toggle("text-muted", c.length <= c.limit);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-sms-count]").forEach(function (area) {
      var out = document.getElementById(area.dataset.smsCount);
      if (!out) return;
      area.addEventListener("input", function () { update(area, out); });
      update(area, out);
    });
  });
})();
