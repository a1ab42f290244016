"""org's part of the demo: a company of `--managers N` account managers, with its org tree,
its people and a login for every role, built deterministically from a seed.

Up to about 1.5 provinces' worth (PROVINCE_MANAGERS) it is one province, 广东公司: its
departments, cities (3 at the default 400 managers, all 21 from about 5,000), district
companies and teams. Past that it is a national company (集团公司) of several provinces,
广东 first, each with its departments, cities, districts and teams: 100,000 managers make
20 provinces and about 8,700 teams. A team has about 8-15 account managers and a team lead;
the more teams a city has, the more district companies hold them. The demo logins (admin,
gzadmin, fsadmin, dgadmin, consultant, analyst, and employee numbers for the lecturer, a team
lead and two of his managers) are Guangdong's at every size; a national company adds
hqadmin, the training admin of the whole company.

`plan_demo(managers, seed)` is pure: the same arguments give the same plan on any machine
(one `random.Random(seed)`, lists not sets, a fixed reference date instead of the clock).
`OrgDemo.build` writes a plan: it creates what is missing and touches nothing that exists,
in batches (COPY on PostgreSQL), so that 100,000 managers take a minute or two, not ten.
The site's orchestrator (casspath/site/demo.py) runs it first, then the other apps' parts.
"""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from casspath.analytics.tenure import completed_years
from casspath.core.demo import (
    DEMO_TODAY,
    MAX_MANAGERS,
    DemoError,
    DemoPart,
    DemoRun,
    ShowcaseLogin,
    insert_rows,
)
from casspath.core.models import User
from casspath.org.defaults import ensure_positions, ensure_value_lists
from casspath.org.figures import roster_changed
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment, Stage
from casspath.org.tree import path_for

DEMO_JOINED = datetime.combine(DEMO_TODAY, time(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
EMAIL_DOMAIN = "gd-telecom.example"  # RFC 2606: a domain that can never reach a real mailbox

# About how many account managers a province has: the demo is one province up to 1.5 times
# this, then a national company of round(managers / PROVINCE_MANAGERS) provinces.
PROVINCE_MANAGERS = 5000
TEAM_SIZE = (8, 15)  # account managers of a team, before the team lead
TEAMS_PER_CITY = 20  # a province has about one city company for this many teams
TEAMS_PER_DISTRICT = (3.5, 5.5)  # a city has about one district company for this many teams

NATIONAL = ("HQ", "集团公司", "hqadmin")
PROVINCE = ("GD", "广东公司")
DEPARTMENTS = [("JK", "集团客户部"), ("PX", "培训学院")]
# Guangdong's 21 cities: code, name, weight in the province's account managers, admin login,
# district companies. The first three, with their admins, make the default demo.
CITIES = [
    ("GZ", "广州分公司", 45, "gzadmin", [
        ("TH", "天河区"), ("YX", "越秀区"), ("HZ", "海珠区"), ("LW", "荔湾区"), ("BY", "白云区"),
        ("HP", "黄埔区"), ("PY", "番禺区"), ("HD", "花都区"), ("ZC", "增城区"), ("NS", "南沙区"),
        ("CH", "从化区"),
    ]),
    ("FS", "佛山分公司", 30, "fsadmin", [
        ("CC", "禅城区"), ("NH", "南海区"), ("SD", "顺德区"), ("SS", "三水区"), ("GM", "高明区"),
    ]),
    # Dongguan and Zhongshan have no districts: their county-level companies serve towns
    # and subdistricts.
    ("DG", "东莞分公司", 25, "dgadmin", [
        ("NC", "南城街道"), ("DC", "东城街道"), ("HM", "虎门镇"), ("CA", "长安镇"), ("CP", "常平镇"),
        ("TX", "塘厦镇"), ("GC", "莞城街道"), ("WJ", "万江街道"), ("HJ", "厚街镇"), ("FG", "凤岗镇"),
        ("QX", "清溪镇"), ("DL", "大朗镇"), ("LB", "寮步镇"), ("SL", "石龙镇"),
    ]),
    ("SZ", "深圳分公司", 40, None, [
        ("FT", "福田区"), ("LH", "罗湖区"), ("NS", "南山区"), ("BA", "宝安区"), ("LG", "龙岗区"),
        ("YT", "盐田区"), ("LHU", "龙华区"), ("PS", "坪山区"), ("GM", "光明区"), ("DP", "大鹏新区"),
    ]),
    ("HZ", "惠州分公司", 12, None, [
        ("HC", "惠城区"), ("HY", "惠阳区"), ("BL", "博罗县"), ("HD", "惠东县"), ("LM", "龙门县"),
    ]),
    ("ST", "汕头分公司", 10, None, [
        ("JP", "金平区"), ("LH", "龙湖区"), ("HJ", "濠江区"), ("CY", "潮阳区"), ("CN", "潮南区"),
        ("CH", "澄海区"), ("NA", "南澳县"),
    ]),
    ("ZS", "中山分公司", 10, None, [
        ("SQ", "石岐街道"), ("DQ", "东区街道"), ("XQ", "西区街道"), ("NQ", "南区街道"),
        ("HJ", "火炬开发区"), ("XL", "小榄镇"), ("GZ", "古镇镇"), ("SX", "三乡镇"),
    ]),
    ("JM", "江门分公司", 10, None, [
        ("PJ", "蓬江区"), ("JH", "江海区"), ("XH", "新会区"), ("TS", "台山市"), ("KP", "开平市"),
        ("HS", "鹤山市"), ("EP", "恩平市"),
    ]),
    ("ZH", "珠海分公司", 9, None, [("XZ", "香洲区"), ("DM", "斗门区"), ("JW", "金湾区")]),
    ("ZHJ", "湛江分公司", 9, None, [
        ("CK", "赤坎区"), ("XS", "霞山区"), ("PT", "坡头区"), ("MZ", "麻章区"), ("LZ", "雷州市"),
        ("LJ", "廉江市"), ("WC", "吴川市"), ("SX", "遂溪县"), ("XW", "徐闻县"),
    ]),
    ("MM", "茂名分公司", 8, None, [
        ("MN", "茂南区"), ("DB", "电白区"), ("GZ", "高州市"), ("HZ", "化州市"), ("XY", "信宜市"),
    ]),
    ("ZQ", "肇庆分公司", 7, None, [
        ("DZ", "端州区"), ("DH", "鼎湖区"), ("GY", "高要区"), ("SH", "四会市"), ("GN", "广宁县"),
        ("HJ", "怀集县"), ("FK", "封开县"), ("DQ", "德庆县"),
    ]),
    ("JY", "揭阳分公司", 7, None, [
        ("RC", "榕城区"), ("JD", "揭东区"), ("PN", "普宁市"), ("JX", "揭西县"), ("HL", "惠来县"),
    ]),
    ("MZ", "梅州分公司", 6, None, [
        ("MJ", "梅江区"), ("MX", "梅县区"), ("XN", "兴宁市"), ("PY", "平远县"), ("JL", "蕉岭县"),
        ("DB", "大埔县"), ("FS", "丰顺县"), ("WH", "五华县"),
    ]),
    ("QY", "清远分公司", 6, None, [
        ("QC", "清城区"), ("QX", "清新区"), ("YD", "英德市"), ("LZ", "连州市"), ("FG", "佛冈县"),
        ("YS", "阳山县"), ("LS", "连山县"), ("LN", "连南县"),
    ]),
    ("SG", "韶关分公司", 5, None, [
        ("ZJ", "浈江区"), ("WJ", "武江区"), ("QJ", "曲江区"), ("LC", "乐昌市"), ("NX", "南雄市"),
        ("RH", "仁化县"), ("SX", "始兴县"), ("WY", "翁源县"), ("XF", "新丰县"), ("RY", "乳源县"),
    ]),
    ("YJ", "阳江分公司", 4, None, [("JC", "江城区"), ("YD", "阳东区"), ("YC", "阳春市"), ("YX", "阳西县")]),
    ("HY", "河源分公司", 4, None, [
        ("YC", "源城区"), ("DY", "东源县"), ("HP", "和平县"), ("LC", "龙川县"), ("ZJ", "紫金县"),
        ("LP", "连平县"),
    ]),
    ("CZ", "潮州分公司", 4, None, [("XQ", "湘桥区"), ("CA", "潮安区"), ("RP", "饶平县")]),
    ("SW", "汕尾分公司", 3, None, [("CQ", "城区"), ("HF", "海丰县"), ("LF", "陆丰市"), ("LH", "陆河县")]),
    ("YF", "云浮分公司", 3, None, [
        ("YC", "云城区"), ("YA", "云安区"), ("LD", "罗定市"), ("XX", "新兴县"), ("YN", "郁南县"),
    ]),
]
# The other provinces of a national company, in the order they join it, by weight in its
# account managers (Guangdong's is 12): code, name, weight, "city code name" pairs. Their
# district companies take the common names below.
PROVINCES = [
    ("JS", "江苏公司", 11,
     "NJ 南京 SZ 苏州 WX 无锡 CZ 常州 NT 南通 XZ 徐州 YZ 扬州 YC 盐城 "
     "TZ 泰州 ZJ 镇江 HA 淮安 LYG 连云港 SQ 宿迁"),
    ("ZJ", "浙江公司", 9,
     "HZ 杭州 NB 宁波 WZ 温州 JX 嘉兴 SX 绍兴 JH 金华 TZ 台州 HUZ 湖州 "
     "QZ 衢州 LS 丽水 ZS 舟山"),
    ("SD", "山东公司", 9,
     "JN 济南 QD 青岛 YT 烟台 WF 潍坊 LY 临沂 ZB 淄博 JNI 济宁 TA 泰安 "
     "WH 威海 DZ 德州 LC 聊城 BZ 滨州 HZ 菏泽 ZZ 枣庄 RZ 日照 DY 东营"),
    ("HA", "河南公司", 7,
     "ZZ 郑州 LY 洛阳 NY 南阳 XX 新乡 SQ 商丘 ZK 周口 XC 许昌 XY 信阳 "
     "ZMD 驻马店 PDS 平顶山 AY 安阳 KF 开封 JZ 焦作"),
    ("SC", "四川公司", 7,
     "CD 成都 MY 绵阳 YB 宜宾 NC 南充 DY 德阳 LZ 泸州 DZ 达州 LS 乐山 "
     "ZG 自贡 NJ 内江 MS 眉山 SN 遂宁"),
    ("HB", "湖北公司", 6,
     "WH 武汉 XY 襄阳 YC 宜昌 JZ 荆州 HG 黄冈 XG 孝感 SY 十堰 JM 荆门 "
     "XN 咸宁 HS 黄石 ES 恩施"),
    ("HN", "湖南公司", 6,
     "CS 长沙 ZZ 株洲 XT 湘潭 HY 衡阳 YY 岳阳 CD 常德 CZ 郴州 SY 邵阳 "
     "YZ 永州 HH 怀化 YIY 益阳 LD 娄底"),
    ("HE", "河北公司", 5,
     "SJZ 石家庄 TS 唐山 BD 保定 HD 邯郸 CZ 沧州 LF 廊坊 XT 邢台 HS 衡水 "
     "QHD 秦皇岛 ZJK 张家口 CD 承德"),
    ("FJ", "福建公司", 5,
     "FZ 福州 XM 厦门 QZ 泉州 ZZ 漳州 PT 莆田 LY 龙岩 SM 三明 NP 南平 "
     "ND 宁德"),
    ("AH", "安徽公司", 5,
     "HF 合肥 WH 芜湖 BB 蚌埠 FY 阜阳 AQ 安庆 LA 六安 CZ 滁州 MAS 马鞍山 "
     "SZ 宿州 HN 淮南 BZ 亳州"),
    ("SH", "上海公司", 5,
     "PD 浦东 HP 黄浦 XH 徐汇 CN 长宁 JA 静安 PT 普陀 HK 虹口 YP 杨浦 "
     "MH 闵行 BS 宝山 JD 嘉定 SJ 松江"),
    ("BJ", "北京公司", 5,
     "CY 朝阳 HD 海淀 DC 东城 XC 西城 FT 丰台 SJS 石景山 TZ 通州 SY 顺义 "
     "CP 昌平 DX 大兴 FS 房山"),
    ("LN", "辽宁公司", 4,
     "SY 沈阳 DL 大连 AS 鞍山 FS 抚顺 JZ 锦州 YK 营口 DD 丹东 LY 辽阳 "
     "PJ 盘锦 TL 铁岭"),
    ("JX", "江西公司", 4,
     "NC 南昌 GZ 赣州 JJ 九江 SR 上饶 YC 宜春 JA 吉安 FZ 抚州 PXS 萍乡 "
     "JDZ 景德镇 XY 新余"),
    ("SN", "陕西公司", 4,
     "XA 西安 BJ 宝鸡 XY 咸阳 WN 渭南 HZ 汉中 YL 榆林 YA 延安 AK 安康"),
    ("GX", "广西公司", 4,
     "NN 南宁 LZ 柳州 GL 桂林 YL 玉林 WZ 梧州 BH 北海 QZ 钦州 BS 百色 "
     "GG 贵港"),
    ("YN", "云南公司", 4,
     "KM 昆明 QJ 曲靖 YX 玉溪 DL 大理 HH 红河 ZT 昭通 CX 楚雄 LJ 丽江"),
    ("CQ", "重庆公司", 4,
     "YZ 渝中 JB 江北 YB 渝北 NA 南岸 SPB 沙坪坝 JLP 九龙坡 WZ 万州 FL 涪陵 "
     "YC 永川 HC 合川"),
    ("SX", "山西公司", 3,
     "TY 太原 DT 大同 CZ 长治 JC 晋城 LF 临汾 YC 运城 JZ 晋中 LL 吕梁 "
     "XZ 忻州 YQ 阳泉"),
    ("GZH", "贵州公司", 3,
     "GY 贵阳 ZY 遵义 LPS 六盘水 AS 安顺 BJ 毕节 TR 铜仁"),
    ("HL", "黑龙江公司", 3,
     "HEB 哈尔滨 QQHE 齐齐哈尔 DQ 大庆 MDJ 牡丹江 JMS 佳木斯 SH 绥化"),
    ("JL", "吉林公司", 2,
     "CC 长春 JL 吉林 SP 四平 TH 通化 YB 延边 SY 松原"),
    ("NM", "内蒙古公司", 2,
     "HHHT 呼和浩特 BT 包头 EEDS 鄂尔多斯 CF 赤峰 TL 通辽 HLBE 呼伦贝尔"),
    ("XJ", "新疆公司", 2,
     "WLMQ 乌鲁木齐 CJ 昌吉 YL 伊犁 KS 喀什 AKS 阿克苏 KLMY 克拉玛依"),
    ("GS", "甘肃公司", 2,
     "LZ 兰州 TS 天水 JQ 酒泉 QY 庆阳 BY 白银 ZY 张掖"),
    ("TJ", "天津公司", 2,
     "HP 和平 HX 河西 NK 南开 BH 滨海 WQ 武清 XQ 西青 BC 北辰 DL 东丽"),
    ("HI", "海南公司", 1,
     "HK 海口 SY 三亚 DZ 儋州 QH 琼海 WC 文昌"),
    ("NX", "宁夏公司", 1,
     "YC 银川 SZS 石嘴山 WZ 吴忠 GY 固原 ZW 中卫"),
    ("QH", "青海公司", 1,
     "XN 西宁 HD 海东 HX 海西 HB 海北 YS 玉树"),
    ("XZ", "西藏公司", 1,
     "LS 拉萨 RKZ 日喀则 CD 昌都 LZ 林芝 SN 山南"),
]
GUANGDONG_WEIGHT = 12
DISTRICT_NAMES = ["城关区", "新城区", "城东区", "城西区", "城南区", "城北区", "高新区", "经开区", "开发区",
                  "滨江区", "滨湖区", "临港区", "东湖区", "西湖区", "南湖区", "江北区", "江南区", "河东区",
                  "河西区", "新华区", "长安区", "和平区", "城中区", "新区"]
TEAM_NAMES = ["政企一班", "政企二班", "商客一班", "商客二班", "行业拓展组", "校园客户组", "聚类市场组"]

# Guangdong's common surnames, weighted roughly by their frequency there; pinyin for e-mail.
SURNAMES = [
    ("陈", "chen", 80), ("李", "li", 65), ("黄", "huang", 60), ("张", "zhang", 45), ("梁", "liang", 40),
    ("林", "lin", 38), ("刘", "liu", 36), ("吴", "wu", 30), ("罗", "luo", 28), ("杨", "yang", 25),
    ("何", "he", 23), ("郑", "zheng", 21), ("周", "zhou", 20), ("谢", "xie", 19), ("钟", "zhong", 18),
    ("叶", "ye", 17), ("曾", "zeng", 16), ("邓", "deng", 16), ("王", "wang", 15), ("冯", "feng", 14),
    ("蔡", "cai", 13), ("许", "xu", 13), ("彭", "peng", 12), ("卢", "lu", 12), ("苏", "su", 11),
    ("潘", "pan", 11), ("朱", "zhu", 11), ("郭", "guo", 10), ("黎", "li", 10), ("赖", "lai", 9),
    ("余", "yu", 9), ("胡", "hu", 9), ("邱", "qiu", 8), ("莫", "mo", 8), ("江", "jiang", 8),
    ("徐", "xu", 7), ("谭", "tan", 7), ("廖", "liao", 7), ("袁", "yuan", 6), ("方", "fang", 6),
    ("伍", "wu", 5), ("麦", "mai", 5), ("温", "wen", 5), ("唐", "tang", 5), ("陆", "lu", 4),
    ("严", "yan", 4), ("马", "ma", 4), ("孙", "sun", 4), ("赵", "zhao", 4), ("邹", "zou", 4),
    ("古", "gu", 3), ("杜", "du", 3), ("龙", "long", 3), ("洪", "hong", 3), ("汤", "tang", 3),
    ("骆", "luo", 2), ("欧阳", "ouyang", 2), ("司徒", "situ", 1),
]
MALE_CHARS = [
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("辉", "hui"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("俊", "jun"), ("浩", "hao"),
    ("宇", "yu"), ("鹏", "peng"), ("斌", "bin"), ("峰", "feng"), ("健", "jian"), ("晨", "chen"),
    ("子", "zi"), ("嘉", "jia"), ("家", "jia"), ("振", "zhen"), ("锦", "jin"), ("荣", "rong"),
    ("海", "hai"), ("泽", "ze"), ("凯", "kai"), ("毅", "yi"), ("彬", "bin"), ("炜", "wei"),
    ("铭", "ming"), ("坤", "kun"), ("晓", "xiao"), ("永", "yong"), ("冠", "guan"), ("启", "qi"),
    ("卓", "zhuo"), ("达", "da"), ("航", "hang"), ("锋", "feng"), ("德", "de"), ("耀", "yao"),
    ("培", "pei"), ("鸿", "hong"),
]
FEMALE_CHARS = [
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
    ("婷", "ting"), ("颖", "ying"), ("琳", "lin"), ("雪", "xue"), ("慧", "hui"), ("欣", "xin"),
    ("怡", "yi"), ("佳", "jia"), ("玲", "ling"), ("霞", "xia"), ("燕", "yan"), ("红", "hong"),
    ("萍", "ping"), ("洁", "jie"), ("诗", "shi"), ("雅", "ya"), ("思", "si"), ("晓", "xiao"),
    ("梓", "zi"), ("嘉", "jia"), ("咏", "yong"), ("淑", "shu"), ("倩", "qian"), ("蕾", "lei"),
    ("莹", "ying"), ("媛", "yuan"), ("秀", "xiu"), ("凤", "feng"), ("瑶", "yao"), ("美", "mei"),
    ("翠", "cui"), ("丹", "dan"), ("彤", "tong"), ("茵", "yin"), ("珊", "shan"), ("晴", "qing"),
    ("月", "yue"), ("宁", "ning"), ("蓉", "rong"), ("碧", "bi"), ("琪", "qi"), ("璇", "xuan"),
]
# China Mobile's number blocks: the demo operator's own staff phones.
MOBILE_PREFIXES = ["134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158",
                   "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198"]

POSITION_WEIGHTS = [("account_manager", 62), ("enterprise_account_manager", 30), ("industry_manager", 8)]
# Years of tenure: (from, before, share). Many in 成长期, a bulk in 发展期, fewer in 成熟期,
# a few of 8 years and more.
TENURE_BANDS = [(0, 2, 42), (2, 5, 36), (5, 8, 15), (8, 16, 7)]
# Grade shares by completed years (lower bound of the band), earned by promotion over time.
GRADE_WEIGHTS = {
    0: [("junior", 85), ("intermediate", 15)],
    2: [("junior", 25), ("intermediate", 60), ("senior", 15)],
    5: [("intermediate", 30), ("senior", 55), ("expert", 15)],
    8: [("intermediate", 10), ("senior", 50), ("expert", 40)],
}
LEFT_SHARE = 0.03



@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True)
class PersonPlan:
    """An employee of the demo; his login's username is his employee number."""

    employee_no: str
    name: str
    phone: str
    email: str
    unit_code: str
    position_code: str
    hire_date: date
    grade_code: str
    status: str
    roles: tuple[tuple[str, str], ...]  # (role, unit code)


@dataclass(frozen=True)
class LoginPlan:
    """A login that is no employee record: admins, consultant, analyst."""

    username: str
    name: str
    email: str
    roles: tuple[tuple[str, str], ...]


@dataclass
class DemoPlan:
    seed: int
    managers: int
    units: list[UnitPlan]  # parents before their children
    people: list[PersonPlan]
    logins: list[LoginPlan]
    showcase: list[ShowcaseLogin]
    root_code: str = PROVINCE[0]  # the top of the tree: the province, or the national company

    def unit_codes(self) -> list[str]:
        return [unit.code for unit in self.units]

    def usernames(self) -> list[str]:
        return [login.username for login in self.logins] + [p.employee_no for p in self.people]


class _Names:
    """Realistic Chinese names and their e-mail addresses, unique per address."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames = [(s, p) for s, p, _ in SURNAMES]
        self.cum_weights = list(accumulate(w for _, _, w in SURNAMES))
        self.emails: Counter[str] = Counter()

    def person(self, domain: str = EMAIL_DOMAIN) -> tuple[str, str]:
        rng = self.rng
        surname, surname_py = rng.choices(self.surnames, cum_weights=self.cum_weights)[0]
        chars = MALE_CHARS if rng.random() < 0.55 else FEMALE_CHARS
        given = [rng.choice(chars)] if rng.random() < 0.22 else rng.sample(chars, 2)
        name = surname + "".join(c for c, _ in given)
        local = surname_py + "".join(p for _, p in given)
        self.emails[local] += 1
        if self.emails[local] > 1:
            local += str(self.emails[local])
        return name, f"{local}@{domain}"


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone


class _Weighted:
    """rng.choices of one value, its cumulative weights computed once."""

    def __init__(self, pairs):
        self.values = [value for value, _ in pairs]
        self.cum_weights = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


POSITIONS = _Weighted(POSITION_WEIGHTS)
TENURES = _Weighted([((lower, upper), share) for lower, upper, share in TENURE_BANDS])
GRADES = {lower: _Weighted(pairs) for lower, pairs in GRADE_WEIGHTS.items()}
LEAD_GRADES = _Weighted([("senior", 60), ("expert", 40)])


def _grade(rng: random.Random, years: int) -> str:
    band = max(lower for lower in GRADE_WEIGHTS if lower <= years)
    return GRADES[band].pick(rng)


def _hire_date(rng: random.Random, lower: float, upper: float) -> date:
    days = rng.randrange(int(lower * 365.25), int(upper * 365.25))
    return DEMO_TODAY - timedelta(days=days)


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights` (largest remainders), summing to `total`."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _team_sizes(rng: random.Random, managers: int) -> list[int]:
    """Teams of about TEAM_SIZE account managers, together `managers` (at least one team)."""
    low, high = TEAM_SIZE
    sizes = [rng.randint(low, high) for _ in range(max(1, round(managers / ((low + high) / 2))))]
    gap = managers - sum(sizes)
    while gap:
        step = 1 if gap > 0 else -1
        room = [i for i, size in enumerate(sizes) if low <= size + step <= high] or [
            i for i, size in enumerate(sizes) if size + step >= 0]
        sizes[rng.choice(room)] += step
        gap -= step
    return sizes


def _zh_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _team_names(rng: random.Random, count: int) -> list[str]:
    """A district's team names: some of TEAM_NAMES, then 政企三班, 商客三班, 政企四班, ..."""
    if count <= len(TEAM_NAMES):
        return [TEAM_NAMES[i] for i in sorted(rng.sample(range(len(TEAM_NAMES)), count))]
    names = list(TEAM_NAMES)
    number = 3
    while len(names) < count:
        names += [f"政企{_zh_number(number)}班", f"商客{_zh_number(number)}班"]
        number += 1
    return names[:count]


@dataclass(frozen=True)
class _CitySpec:
    code: str
    name: str
    weight: float
    districts: list[tuple[str, str]]  # (code, name)


def _guangdong_cities() -> list[_CitySpec]:
    return [_CitySpec(code, name, weight, [(f"{code}-{short}", district) for short, district in districts])
            for code, name, weight, _admin, districts in CITIES]


def _province_cities(code: str, cities: str) -> list[_CitySpec]:
    words = cities.split()
    return [_CitySpec(f"{code}-{short}", f"{city}分公司", 1.0,
                      [(f"{code}-{short}-{i:02d}", district) for i, district in enumerate(DISTRICT_NAMES, 1)])
            for short, city in zip(words[::2], words[1::2], strict=True)]


class _Planner:
    """The tree and its people, drawn from one random stream in a fixed order."""

    def __init__(self, managers: int, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 (demo data, reproducible by design)
        self.names = _Names(self.rng)
        self.phones: set[str] = set()
        self.managers = managers
        self.units: list[UnitPlan] = []
        # (province code, e-mail domain, team, its account managers), in tree order.
        self.teams: list[tuple[str, str, UnitPlan, int]] = []

    def province(self, code: str, name: str, parent: str | None, managers: int,
                 cities: list[_CitySpec]) -> None:
        rng = self.rng
        self.units.append(UnitPlan(code, name, OrgUnit.Kind.PROVINCE, parent))
        self.units += [UnitPlan(f"{code}-{short}", department, OrgUnit.Kind.DEPARTMENT, code)
                       for short, department in DEPARTMENTS]
        teams = managers / (sum(TEAM_SIZE) / 2)
        count = min(len(cities), max(3, round(teams / TEAMS_PER_CITY)))
        cities = cities[:count]
        domain = EMAIL_DOMAIN if code == PROVINCE[0] else f"{code.lower()}-telecom.example"
        for city, city_managers in zip(cities, _split(managers, [c.weight for c in cities]), strict=True):
            self.units.append(UnitPlan(city.code, city.name, OrgUnit.Kind.CITY, code))
            sizes = _team_sizes(rng, city_managers)
            wanted = round(len(sizes) / rng.uniform(*TEAMS_PER_DISTRICT))
            chosen = sorted(rng.sample(range(len(city.districts)),
                                       min(len(city.districts), max(min(2, len(sizes)), wanted))))
            # Each district at least one team, the others spread unevenly.
            per_district = [1] * len(chosen)
            for index in rng.choices(range(len(chosen)), weights=[rng.uniform(0.6, 1.4) for _ in chosen],
                                     k=len(sizes) - len(chosen)):
                per_district[index] += 1
            team_sizes = iter(sizes)
            for index, team_count in zip(chosen, per_district, strict=True):
                district_code, district_name = city.districts[index]
                self.units.append(UnitPlan(district_code, district_name, OrgUnit.Kind.DISTRICT, city.code))
                for number, team_name in enumerate(_team_names(rng, team_count), start=1):
                    team = UnitPlan(f"{district_code}-{number:02d}", team_name, OrgUnit.Kind.TEAM,
                                    district_code)
                    self.units.append(team)
                    self.teams.append((code, domain, team, next(team_sizes)))

    def people(self) -> dict[str, list[PersonPlan]]:
        """Every team's lead and account managers by province, numbered by hire date within
        it (GD00001, ...), as its HR would have."""
        rng, names = self.rng, self.names
        drafts: dict[str, list[dict]] = {}
        for province, domain, team, size in self.teams:
            years_lower = rng.uniform(5, 14)
            name, email = names.person(domain)
            hire = _hire_date(rng, years_lower, years_lower + 0.9)
            people = drafts.setdefault(province, [])
            people.append({
                "name": name, "email": email, "phone": _phone(rng, self.phones), "unit_code": team.code,
                "position_code": "team_lead", "hire_date": hire, "grade_code": LEAD_GRADES.pick(rng),
                "status": Employee.Status.ACTIVE, "roles": ((Role.TEAM_LEAD.value, team.code),),
            })
            for _ in range(size):
                lower, upper = TENURES.pick(rng)
                hire = _hire_date(rng, lower, upper)
                name, email = names.person(domain)
                people.append({
                    "name": name, "email": email, "phone": _phone(rng, self.phones), "unit_code": team.code,
                    "position_code": POSITIONS.pick(rng), "hire_date": hire,
                    "grade_code": _grade(rng, completed_years(hire, DEMO_TODAY)),
                    "status": Employee.Status.LEFT if rng.random() < LEFT_SHARE else Employee.Status.ACTIVE,
                    "roles": ((Role.ACCOUNT_MANAGER.value, team.code),),
                })
        planned: dict[str, list[PersonPlan]] = {}
        for province, people in drafts.items():
            ranked = sorted((d["hire_date"], rng.random(), i) for i, d in enumerate(people))
            planned[province] = [PersonPlan(employee_no=f"{province}{number:05d}", **people[i])
                                 for number, (_, _, i) in enumerate(ranked, start=1)]
        return planned


def plan_demo(managers: int, seed: int) -> DemoPlan:
    """The whole demo company as data. Pure and deterministic in (managers, seed)."""
    if not 1 <= managers <= MAX_MANAGERS:  # as DemoRun checks: the plan is also used alone
        raise DemoError(f"客户经理人数须在 1 到 {MAX_MANAGERS} 之间：{managers}",
                        f"the number of managers must be between 1 and {MAX_MANAGERS}: {managers}")
    planner = _Planner(managers, seed)
    provinces = min(1 + len(PROVINCES), max(1, round(managers / PROVINCE_MANAGERS)))
    national = provinces > 1
    if national:
        root = NATIONAL[0]
        planner.units.append(UnitPlan(NATIONAL[0], NATIONAL[1], OrgUnit.Kind.NATIONAL, None))
        others = PROVINCES[:provinces - 1]
        shares = _split(managers, [GUANGDONG_WEIGHT * planner.rng.uniform(0.9, 1.1)]
                        + [weight * planner.rng.uniform(0.9, 1.1) for _, _, weight, _ in others])
    else:
        root, others, shares = PROVINCE[0], [], [managers]
    planner.province(*PROVINCE, root if national else None, shares[0], _guangdong_cities())
    for (code, name, _, cities), share in zip(others, shares[1:], strict=True):
        planner.province(code, name, root, share, _province_cities(code, cities))
    units = planner.units
    by_province = planner.people()
    people = [person for province in by_province.values() for person in province]
    gd = by_province[PROVINCE[0]]
    names = planner.names

    # The internal lecturer: Guangdong's longest-serving active senior or expert account manager.
    sales = [p for p in gd if p.position_code != "team_lead" and p.status == Employee.Status.ACTIVE]
    lecturer = next((p for p in sales if p.grade_code in {"senior", "expert"}), sales[0] if sales else None)
    gd_lecturer = lecturer
    if lecturer is not None:
        index = people.index(lecturer)
        lecturer = replace(lecturer, roles=lecturer.roles + ((Role.LECTURER.value, f"{PROVINCE[0]}-PX"),))
        people[index] = lecturer

    logins = []
    if national:
        name, email = names.person("hq-telecom.example")
        logins.append(LoginPlan(NATIONAL[2], name, email, ((Role.TRAINING_ADMIN.value, NATIONAL[0]),)))
    name, email = names.person()
    logins.append(LoginPlan("admin", name, email, ((Role.TRAINING_ADMIN.value, PROVINCE[0]),)))
    for city_code, _, _, username, _ in CITIES:
        if username:
            name, email = names.person()
            logins.append(LoginPlan(username, name, email, ((Role.TRAINING_ADMIN.value, city_code),)))
    name, email = names.person()
    consultant = LoginPlan("consultant", name, email, ((Role.CONSULTANT.value, PROVINCE[0]),))
    name, email = names.person()
    analyst = LoginPlan("analyst", name, email, ((Role.ANALYST.value, PROVINCE[0]),))
    logins += [consultant, analyst]

    unit_names = {unit.code: unit.name for unit in units}
    showcase = [ShowcaseLogin(Role.TRAINING_ADMIN.value, login.username, login.name,
                              unit_names[login.roles[0][1]])
                for login in logins if login.roles[0][0] == Role.TRAINING_ADMIN.value]
    showcase += [ShowcaseLogin(Role.CONSULTANT.value, "consultant", consultant.name, PROVINCE[1]),
                 ShowcaseLogin(Role.ANALYST.value, "analyst", analyst.name, PROVINCE[1])]
    if lecturer is not None:
        showcase.append(ShowcaseLogin(Role.LECTURER.value, lecturer.employee_no, lecturer.name,
                                      unit_names[lecturer.unit_code]))
    # A team lead and two of his account managers: logins that see one another.
    by_team: dict[str, list[PersonPlan]] = {}
    for person in gd:
        if person.status == Employee.Status.ACTIVE and person is not gd_lecturer:
            by_team.setdefault(person.unit_code, []).append(person)
    for _province, _domain, team, _size in planner.teams:
        members = by_team.get(team.code, [])
        leads = [p for p in members if p.position_code == "team_lead"]
        team_sales = [p for p in members if p.position_code != "team_lead"]
        if leads and len(team_sales) >= min(2, managers):
            lead = leads[0]
            showcase.append(ShowcaseLogin(Role.TEAM_LEAD.value, lead.employee_no, lead.name, team.name))
            showcase += [ShowcaseLogin(Role.ACCOUNT_MANAGER.value, p.employee_no, p.name, team.name)
                         for p in team_sales[:2]]
            break
    return DemoPlan(seed=seed, managers=managers, units=units, people=people, logins=logins,
                    showcase=showcase, root_code=root)


def _password_hash(seed: int) -> str:
    # One hash for every demo login (Argon2 per user is slow). Its salt comes from the seed
    # so that a seed's data is identical run to run; the password is printed anyway.
    salt = hashlib.sha256(f"casspath-demo:{seed}".encode()).hexdigest()[:22]
    return make_password(settings.CASSPATH["DEMO_PASSWORD"], salt=salt)


# What the database holds already, read whole: one query each, where 100,000 codes looked up
# in slices take twenty (and an empty database answers at once).
def _unit_codes() -> set[str]:
    return set(OrgUnit.objects.values_list("code", flat=True))


def _employee_numbers() -> set[str]:
    return set(Employee.objects.values_list("employee_no", flat=True))


def _user_ids() -> dict[str, int]:
    return dict(User.objects.values_list("username", "id"))


def _conflicts(plan: DemoPlan) -> list[str]:
    units, numbers, users = _unit_codes(), _employee_numbers(), _user_ids()
    found = [code for code in plan.unit_codes() if code in units][:5]
    found += [p.employee_no for p in plan.people if p.employee_no in numbers][:5]
    found += [name for name in plan.usernames() if name in users][:5]
    return found


def _create_units(plan: DemoPlan) -> tuple[dict[str, OrgUnit], int]:
    codes = set(plan.unit_codes())  # up to 20,000: read whole, past SQLite's parameter limit
    existing = {unit.code: unit for unit in OrgUnit.objects.all() if unit.code in codes}
    for planned in plan.units:
        found = existing.get(planned.code)
        if found is not None and found.kind != planned.kind:
            raise DemoError(f"单位编码 {planned.code} 已被「{found.name}」（{found.get_kind_display()}）占用",
                            f"unit code {planned.code} is taken by {found.name} ({found.kind})")
    # Level by level (the plan lists parents first), so that each level's parents have ids
    # and paths.
    depth: dict[str, int] = {}
    levels: dict[int, list[UnitPlan]] = {}
    for planned in plan.units:
        depth[planned.code] = 0 if planned.parent_code is None else depth[planned.parent_code] + 1
        levels.setdefault(depth[planned.code], []).append(planned)
    created = 0
    for level in sorted(levels):
        new = [OrgUnit(code=u.code, name=u.name, kind=u.kind, parent=existing.get(u.parent_code or ""))
               for u in levels[level] if u.code not in existing]
        for unit in new:
            unit.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        OrgUnit.objects.bulk_create(new, batch_size=1000)
        for unit in new:
            unit.path, unit.depth = path_for(unit, unit.parent)
            existing[unit.code] = unit
        OrgUnit.objects.bulk_update(new, ["path", "depth"], batch_size=1000)
        created += len(new)
    return existing, created


# The first of each kind of row is validated as a form would (the rest are built alike);
# the demo's tests validate every row of a smaller demo.
VALIDATE_FIRST = 200


@lru_cache(maxsize=2)
def _plan(managers: int, seed: int) -> DemoPlan:
    # conflicts, build, describe and logins of one run share one plan.
    return plan_demo(managers, seed)


def plan_of(run: DemoRun) -> DemoPlan:
    """The plan of this run's company, for the parts that hang data on its people."""
    return _plan(run.managers, run.seed)


class OrgDemo(DemoPart):
    def conflicts(self, run: DemoRun) -> list[str]:
        return _conflicts(_plan(run.managers, run.seed))

    def build(self, run: DemoRun) -> dict[str, int]:
        """Value lists, the org tree, the logins, the employees and their roles."""
        run.progress("planning the company")
        plan = _plan(run.managers, run.seed)
        ensure_value_lists(Stage, Grade)
        ensure_positions(Position)
        grades = {grade.code: grade.pk for grade in Grade.objects.all()}
        positions = {position.code: position.pk for position in Position.objects.all()}
        run.progress("org units")
        units, units_created = _create_units(plan)
        password = _password_hash(run.seed)

        existing_users = _user_ids()
        new_logins = [login for login in plan.logins if login.username not in existing_users]
        new_people = [p for p in plan.people if p.employee_no not in existing_users]
        user_rows = [(login.username, login.name, login.email, password, DEMO_JOINED, True)
                     for login in new_logins]
        user_rows += [(p.employee_no, p.name, p.email, password, DEMO_JOINED,
                       p.status == Employee.Status.ACTIVE) for p in new_people]
        user_fields = ("username", "first_name", "email", "password", "date_joined", "is_active")
        for user_row in user_rows[:VALIDATE_FIRST]:
            User(**dict(zip(user_fields, user_row, strict=True))).full_clean(
                validate_unique=False, validate_constraints=False)
        insert_rows(User, user_fields, user_rows, run, "logins")
        user_ids = _user_ids()

        existing_employees = _employee_numbers()
        employee_fields = ("employee_no", "name", "phone", "email", "org_unit_id", "position_id", "hire_date",
                           "grade_id", "status", "user_id")
        employee_rows = [
            (p.employee_no, p.name, p.phone, p.email, units[p.unit_code].pk, positions[p.position_code],
             p.hire_date, grades[p.grade_code], p.status, user_ids[p.employee_no])
            for p in plan.people if p.employee_no not in existing_employees
        ]
        for employee_row in employee_rows[:VALIDATE_FIRST]:
            Employee(**dict(zip(employee_fields, employee_row, strict=True))).full_clean(
                exclude=["org_unit", "position", "grade", "user"], validate_unique=False,
                validate_constraints=False)
        insert_rows(Employee, employee_fields, employee_rows, run, "employees")

        wanted = [(login.username, role, code) for login in plan.logins for role, code in login.roles]
        wanted += [(p.employee_no, role, code) for p in plan.people for role, code in p.roles]
        have = set(RoleAssignment.objects.values_list("user_id", "role", "org_unit_id"))
        role_rows = [(user_ids[username], role, units[code].pk) for username, role, code in wanted]
        role_rows = [row for row in role_rows if row not in have]
        insert_rows(RoleAssignment, ("user_id", "role", "org_unit_id"), role_rows, run, "roles")
        roster_changed()  # rows written around the models' signals
        # Later parts hang their data on the top of the tree (the competency model applies to
        # every unit below it) or on Guangdong; the orchestrator audits against the top.
        run.shared["root"] = units[plan.root_code]
        run.shared["province"] = units[PROVINCE[0]]
        return {"units": units_created, "users": len(user_rows), "employees": len(employee_rows),
                "roles": len(role_rows)}

    def describe(self, run: DemoRun) -> list[str]:
        plan = _plan(run.managers, run.seed)
        active = sum(1 for p in plan.people if p.status == Employee.Status.ACTIVE)
        kinds = Counter(u.kind for u in plan.units)
        provinces = f"{kinds[OrgUnit.Kind.PROVINCE]} provinces, " if kinds[OrgUnit.Kind.NATIONAL] else ""
        return [f"units {len(plan.units)} ({provinces}{kinds[OrgUnit.Kind.CITY]} cities, "
                f"{kinds[OrgUnit.Kind.DISTRICT]} districts, {kinds[OrgUnit.Kind.TEAM]} teams), "
                f"employees {len(plan.people)} ({active} active, {len(plan.people) - active} left), "
                f"logins {len(plan.logins) + len(plan.people)}"]

    def logins(self, run: DemoRun) -> list[ShowcaseLogin]:
        return _plan(run.managers, run.seed).showcase


part = OrgDemo()
