"""The demo's industries and integrated solutions (综合解决方案), as data, and the builder of
the demo product map (industries, demo_products.py's products with their plans, activation
steps and a mock screenshot of each product's first step, then the solutions), through the
product map's actions. What the map holds already (by code) is left as it is."""

import random
from dataclasses import dataclass

from casspath.cass.models import CassMap
from casspath.core.demo import DemoRun
from casspath.knowledge.actions.products import (
    Comparison,
    Tariff,
    do_save_industry,
    do_save_product_card,
    do_save_solution,
    do_set_activation_image,
    parse_price,
)
from casspath.knowledge.demo_guides import Shot
from casspath.knowledge.demo_images import image_file
from casspath.knowledge.demo_products import NETWORK_AND_CLOUD, ProductSpec
from casspath.knowledge.demo_products_apps import APPLICATIONS
from casspath.knowledge.models import Industry, Product, ProductActivationStep, Solution

# The 22 products in code order (P01–P22).
PRODUCTS: tuple[ProductSpec, ...] = tuple(sorted(NETWORK_AND_CLOUD + APPLICATIONS, key=lambda p: p.code))

INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("IND01", "政府机关"),
    ("IND02", "教育"),
    ("IND03", "医疗卫生"),
    ("IND04", "金融"),
    ("IND05", "制造业"),
    ("IND06", "商贸零售"),
    ("IND07", "交通物流"),
    ("IND08", "农业农村"),
    ("IND09", "酒店餐饮"),
    ("IND10", "建筑地产"),
)


@dataclass(frozen=True)
class SolutionSpec:
    code: str
    name: str
    industry: str
    products: tuple[str, ...]
    value_proposition: str
    competitor: str
    comparisons: tuple[tuple[str, str, str], ...]


SOLUTIONS: tuple[SolutionSpec, ...] = (
    SolutionSpec(
        "S01",
        "智慧校园",
        "IND02",
        ("P14", "P01", "P13", "P06", "P07"),
        "一所学校的“网、管、安、通”一次建好：互联网专线保证全校上网和教学平台，智慧校园平台管考勤和家校互动，"
        "视频监控和一键报警守住校门，集团短信把通知送到每位家长，视频会议连起集团化办学的各个校区。"
        "一个合同、一个服务经理、一张账单，学校信息老师不用再对接五家供应商。",
        "友商“校园宽带 + 家校通”套餐",
        (
            ("网络质量", "互联网专线 100M 起，上下行对称，SLA 99.9%", "共享型校园宽带，上行带宽有限，无 SLA"),
            ("平安校园", "人脸闸机、监控、一键报警与平台联动", "只提供家校通知，安防需另找厂商"),
            ("数据对接", "已对接教育局平台，报送免重复录入", "需学校自行导出导入"),
            ("服务", "驻校工程师开学首周驻点，故障 4 小时到场", "热线报障，上门时间不承诺"),
            ("三年总价（中型学校）", "约 21 万元，含硬件分期", "约 18 万元，但安防和专线另计"),
        ),
    ),
    SolutionSpec(
        "S02",
        "连锁门店数字化",
        "IND06",
        ("P17", "P03", "P13", "P19", "P16"),
        "新店当天开通网络：SD-WAN 把每家门店的企业宽带连成一张网，收银和会员系统优先走最好的线路；"
        "每店 4 路视频监控，老板在手机上看所有门店；收银台用云电脑，数据不留在门店；"
        "全国统一 400 热线接住顾客来电。按门店数计费，开一家加一家。",
        "友商“门店宽带 + 监控”套餐",
        (
            ("新店开通", "CPE 寄到门店插上即通，1 天上线", "每店单独装宽带，组网需另找集成商"),
            ("门店互联", "SD-WAN 加密组网，总部统一管理", "各店独立上网，无组网能力"),
            ("收银数据安全", "云电脑收银，数据在云端", "本地电脑，丢失或损坏即丢数据"),
            ("客服热线", "400 统一号码按门店区域转接", "无"),
            ("单店月费", "约 1,150 元（宽带 + 组网 + 4 路监控）", "约 700 元（仅宽带 + 监控）"),
        ),
    ),
    SolutionSpec(
        "S03",
        "园区企业上云",
        "IND05",
        ("P02", "P05", "P11", "P18", "P21"),
        "为工业园区里的制造企业搭一条“上云快车道”：数据专线把工厂直连省内云资源池，ERP 和 MES 搬上云主机，"
        "图纸与质检图像存对象存储，车间 AGV 和视频质检走 5G 专网且数据不出园区，DDoS 防护守住对外门户。"
        "园区统一招商、企业按需订购，运营商负责迁移和运维。",
        "友商“公有云 + 互联网接入”方案",
        (
            ("上云链路", "数据专线直连云资源池，时延稳定，不经互联网", "经互联网访问外省公有云节点"),
            ("数据位置", "省内数据中心，车间数据可不出园区", "公有云区域节点，数据跨省存放"),
            ("车间无线", "5G 专网，UPF 下沉园区", "厂区 Wi-Fi，由企业自建"),
            ("迁移服务", "本地团队上门迁移，首年免费运维", "自助迁移工具，远程工单支持"),
            ("安全", "网络侧 DDoS 清洗，基础防护免费", "云上防护另购，按量计费"),
        ),
    ),
    SolutionSpec(
        "S04",
        "政务云办公",
        "IND01",
        ("P05", "P19", "P07", "P08", "P02"),
        "面向区县政府部门的安全办公组合：业务系统部署在省内政务云主机上，办公终端换成云电脑，"
        "数据不落本地；各委办局之间用数据专线互联，跨部门会议用视频会议，公务邮件用单位域名的企业邮箱。"
        "满足等保和信创要求，由属地团队驻场保障。",
        "友商“政务外网 + 公有云会议”方案",
        (
            ("终端安全", "云电脑，数据集中存放，终端丢失不丢数据", "传统 PC，数据分散在各台电脑"),
            ("部门互联", "数据专线点对点，物理隔离", "共享政务外网带宽"),
            ("会议", "省内部署视频会议，支持电话拨入", "公有云会议平台，数据出省"),
            ("邮件", "单位域名邮箱，国内服务器", "使用个人或免费邮箱"),
            ("驻场服务", "属地工程师驻场，重大会议保障", "远程支持为主"),
        ),
    ),
    SolutionSpec(
        "S05",
        "智慧医院连接",
        "IND03",
        ("P02", "P22", "P06", "P11", "P12"),
        "医院集团总院与分院之间用数据专线传医保结算和影像数据，语音专线支撑预约挂号呼叫中心，"
        "集团短信推送就诊提醒和检验结果通知，影像归档存入对象存储，全院职工组成集团 V 网，科室之间短号互拨。",
        "友商“互联网专线 + 短信”组合",
        (
            ("院区互联", "数据专线主备双路由，医保结算不中断", "互联网专线上建 VPN，偶有掉线"),
            ("预约热线", "SIP 中继 30 路并发，高峰不占线", "普通固话若干条"),
            ("影像归档", "对象存储按量计费，归档型每 TB 40 元/月", "医院自购存储扩容"),
            ("内部通话", "集团 V 网网内免费", "按个人套餐计费"),
        ),
    ),
)


def _screenshot(spec: ProductSpec) -> Shot:
    first = spec.plans[0]
    return Shot(
        system="CRM 集团业务受理",
        screen=f"{spec.name} · 开通受理",
        fields=[
            ("产品编码", spec.code),
            ("产品名称", spec.name),
            ("套餐", first.name),
            ("月费（元）", first.price or "面议"),
            ("客户名称", "广州市示例科技有限公司"),
        ],
        caption=spec.steps[0],
        highlight=2,
    )


def build_product_map(cass_map: CassMap, run: DemoRun, rng: random.Random) -> dict[str, int]:
    """Write the industries, products and solutions the map lacks (by code); the counts."""
    made = {"industries": 0, "products": 0, "solutions": 0}
    industries = {i.code: i for i in Industry.objects.filter(cass_map=cass_map)}
    for code, name in INDUSTRIES:
        if code not in industries:
            industries[code] = do_save_industry(
                cass_map, {"code": code, "name": name}, acting_user=run.acting_user
            )
            made["industries"] += 1
    products = {p.code: p for p in Product.objects.filter(cass_map=cass_map)}
    for number, spec in enumerate(PRODUCTS, start=1):
        run.progress("product map", number, len(PRODUCTS))
        if spec.code in products:
            continue
        product = do_save_product_card(
            cass_map,
            {
                "code": spec.code,
                "name": spec.name,
                "category": spec.category,
                "family": spec.family,
                "explanation": spec.explanation,
                "selling_points": spec.selling_points,
                "tariff": spec.tariff,
                "how_it_works": spec.how_it_works,
                "promotion": spec.promotion,
                "informatization_level": spec.level,
                "customer_sizes": list(spec.sizes),
                "customer_types": list(spec.types),
                "active": True,
            },
            industries=[industries[code] for code in spec.industries],
            tariffs=[Tariff(p.name, parse_price(p.price), p.includes) for p in spec.plans],
            steps=list(spec.steps),
            acting_user=run.acting_user,
        )
        first = ProductActivationStep.objects.filter(product=product).order_by("order").first()
        if first is not None:
            first.product = product
            upload = image_file(_screenshot(spec), rng, f"{spec.code}-1")
            do_set_activation_image(first, upload, acting_user=run.acting_user)
        products[spec.code] = product
        made["products"] += 1
    have = set(Solution.objects.filter(cass_map=cass_map).values_list("code", flat=True))
    for solution in SOLUTIONS:
        if solution.code in have:
            continue
        do_save_solution(
            cass_map,
            {
                "code": solution.code,
                "name": solution.name,
                "value_proposition": solution.value_proposition,
                "competitor": solution.competitor,
                "active": True,
            },
            industry=industries[solution.industry],
            products=[products[code] for code in solution.products],
            comparisons=[Comparison(*row) for row in solution.comparisons],
            acting_user=run.acting_user,
        )
        made["solutions"] += 1
    return made
