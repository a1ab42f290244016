"""knowledge's part of the demo: six work guides of the enterprise-customer account
manager (集团客户经理), each of 4–8 steps with what to do, the tips and the mistakes to avoid,
and images drawn at demo time (below: mock screenshots of the systems, mock photos of
the forms). Written for that work, not generated from a template.

The guides hang on the CASS map that applies to the province (cass's part builds it): each
guide finds its work item by code (W15–W18 are the four ordering events cass's map holds for
them; W02 the visit, W10 the contract), else by name, else creates it; when no
map applies yet, it creates "集团客户部 CASS 地图" at the province through cass's actions. A
work item that has a guide already is left as it is, so a second run changes nothing.
"""

import io
import random
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.cass.models import CassMap, ResourceStatus, WorkItem
from casspath.cass.queries import map_applying
from casspath.core.demo import DemoPart, DemoRun
from casspath.knowledge.actions.guides import do_add_image, do_create_guide, do_save_step, do_set_guide_status
from casspath.knowledge.models import GuideImage, WorkGuide

MAP_NAME = "集团客户部 CASS 地图"
MODEL_FAMILY = "default"


@dataclass(frozen=True)
class Shot:
    """A mock screenshot: the system, the screen, its fields, the one outlined."""

    system: str
    screen: str
    fields: list[tuple[str, str]]
    caption: str
    highlight: int | None = None
    button: str = "提交"


@dataclass(frozen=True)
class Photo:
    """A mock photo of a paper form."""

    title: str
    rows: list[tuple[str, str]]
    caption: str
    stamp: str = ""
    ticks: bool = False


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    tips: str = ""
    mistakes: str = ""
    images: list[Shot | Photo] = field(default_factory=list)


@dataclass(frozen=True)
class Guide:
    code: str
    work_item: str
    importance: int
    frequency: int
    title: str
    intro: str
    steps: list[Step]


CRM = "CRM 集团客户管理系统"
IOT = "物联网连接管理平台"
SMS = "集团短信业务平台"
CONTRACT = "合同管理系统"

GUIDES: list[Guide] = [
    Guide(
        "W15",
        "集团专线开通申请",
        5,
        4,
        "集团专线开通申请 · 工作指引",
        "从需求确认到竣工验收的六个步骤。专线是集团客户的核心业务，开通慢、资料错是客户投诉最多的两件事："
        "按本指引一步一步做，首次提交即通过。",
        [
            Step(
                "确认专线需求",
                "与客户的 IT 负责人当面确认：专线用途（互联网专线还是组网数据专线）、带宽、A 端和 Z 端地址、"
                "是否需要固定 IP 及数量、是否需要双路由备份、希望的开通日期。"
                "逐项填在《集团专线需求确认表》上，请客户经办人签字确认。",
                "带宽问清是否上下行对称\n地址精确到楼栋、楼层和机房\n"
                "固定 IP 数量按客户服务器数量估算，留有余量",
                "只写“100M”，没有写明对称或非对称\n把客户的注册地址当成装机地址\n口头确认后没有让客户签字",
                [
                    Photo(
                        "集团专线需求确认表",
                        [
                            ("客户名称", "广州市恒信科技有限公司"),
                            ("专线类型", "互联网专线"),
                            ("带宽", "100M 上下行对称"),
                            ("需固定IP", "是"),
                            ("装机地址", "天河路385号21楼机房"),
                        ],
                        "填好的需求确认表（客户经办人签字、盖章）",
                        stamp="业务专用章",
                        ticks=True,
                    )
                ],
            ),
            Step(
                "资源预查",
                "在 CRM 系统“业务受理 → 资源预查”中录入装机地址，查询光纤和端口资源。有资源的记下资源编号；"
                "无资源或资源不足的，当场发起资源勘查工单，并告诉客户勘查需要 3 个工作日。",
                "先预查再报价，避免承诺了开通日期却没有资源\n截图保存预查结果，附在工单里",
                "跳过预查直接录工单，被退单后重新排队\n选错接入方式（PON 与裸纤）",
                [
                    Shot(
                        CRM,
                        "资源预查",
                        [
                            ("装机地址", "天河区天河路385号21楼"),
                            ("接入方式", "光纤直连"),
                            ("资源状态", "有资源"),
                            ("资源编号", "GZ-TH-OLT-0387-12"),
                            ("可用端口", "4 个"),
                            ("预计工期", "5 个工作日"),
                        ],
                        "资源预查结果：记下资源编号",
                        highlight=3,
                        button="查询",
                    )
                ],
            ),
            Step(
                "编制方案与报价审批",
                "按标准资费编制方案，写明带宽、资费、合约期和服务等级（SLA）。折扣在本人权限内的直接报价；"
                "超出权限的在 CRM 中发起价格审批，审批通过后再向客户报价。",
                "报价单注明有效期（一般 30 天）\n合约期越长折扣越大，向客户讲清楚",
                "审批未通过就先向客户口头承诺价格\n方案里漏写 SLA，客户后来按最高标准索赔",
                [
                    Shot(
                        CRM,
                        "价格审批",
                        [
                            ("产品", "互联网专线 100M"),
                            ("标准资费", "3,800 元/月"),
                            ("申请折扣", "8.5 折"),
                            ("合约期", "36 个月"),
                            ("审批人", "区域政企部经理"),
                            ("审批状态", "审批中"),
                        ],
                        "超权限折扣在系统中发起审批",
                        highlight=2,
                        button="发起审批",
                    )
                ],
            ),
            Step(
                "签订业务协议",
                "打印《集团客户业务受理单》和专线服务协议，请客户法定代表人或授权代表签字并加盖公章。"
                "同时收集营业执照复印件（加盖公章）、经办人身份证复印件和授权委托书。",
                "复印件上写“仅供办理互联网专线使用”\n协议一式两份，客户留存一份",
                "用合同专用章以外的印章（如财务章）\n授权委托书没有写明授权事项和期限",
                [
                    Photo(
                        "集团客户业务受理单",
                        [
                            ("客户名称", "广州市恒信科技有限公司"),
                            ("统一社会信用代码", "9144010…"),
                            ("办理业务", "互联网专线 100M"),
                            ("合约期", "36 个月"),
                            ("经办人", "李明"),
                        ],
                        "客户签字盖章后的业务受理单",
                        stamp="合同专用章",
                    )
                ],
            ),
            Step(
                "录入开通工单",
                "在 CRM“业务受理 → 专线开通申请”中录入工单：集团编码、产品、带宽、A 端地址、客户联系人和"
                "要求完工时间，上传协议扫描件和需求确认表，提交后记下工单号。",
                "联系人填客户现场负责人，方便装维预约\n要求完工时间按资源预查的工期填写",
                "联系人电话填成客户经理自己的\n附件漏传，工单被退回",
                [
                    Shot(
                        CRM,
                        "专线开通申请",
                        [
                            ("集团编码", "GZ2026001873"),
                            ("产品", "互联网专线"),
                            ("带宽", "100M 上下行对称"),
                            ("A 端地址", "天河区天河路385号21楼机房"),
                            ("联系人", "李明 139****5678"),
                            ("要求完工", "2026-07-15"),
                        ],
                        "专线开通工单：A 端地址与需求确认表一致",
                        highlight=3,
                    )
                ],
            ),
            Step(
                "跟踪施工与竣工验收",
                "每天查看工单进度，卡在某个环节超过 1 天就找对应的支撑人员。开通后陪同客户测速，"
                "确认带宽和固定 IP 正常，请客户在《竣工验收单》上签字，把验收单上传归档。",
                "开通当天给客户发一条开通确认短信\n一周后回访一次使用情况",
                "不测速就让客户签验收单\n验收单没有上传，计费起始日期有争议",
                [
                    Photo(
                        "专线竣工验收单",
                        [
                            ("工单号", "KT20260708-0153"),
                            ("测速结果", "上行 98M / 下行 99M"),
                            ("固定IP", "是"),
                            ("验收结论", "合格，同意开通计费"),
                        ],
                        "客户签字的竣工验收单",
                        stamp="业务专用章",
                        ticks=True,
                    )
                ],
            ),
        ],
    ),
    Guide(
        "W16",
        "企业宽带报装",
        4,
        5,
        "企业宽带报装 · 工作指引",
        "小微企业宽带报装的五个步骤：资料、覆盖、下单、安装、回访。目标是受理当天预约、三天内装通。",
        [
            Step(
                "核实客户资料",
                "收取营业执照复印件和经办人身份证，核对企业名称、统一社会信用代码与执照原件一致，"
                "在《企业宽带业务登记表》上登记装机地址和联系人。",
                "个体工商户也按企业宽带办理，享受企业资费\n拍照留存执照原件",
                "用法人个人名义办理，后期开票抬头不对\n登记表上的地址与实际装机地址不一致",
                [
                    Photo(
                        "企业宽带业务登记表",
                        [
                            ("企业名称", "广州市悦来餐饮管理有限公司"),
                            ("装机地址", "体育西路103号首层"),
                            ("联系人", "陈女士 138****2210"),
                            ("需固定IP", "否"),
                        ],
                        "登记表：企业名称与营业执照一致",
                        ticks=True,
                    )
                ],
            ),
            Step(
                "查询覆盖并推荐套餐",
                "在 CRM“宽带覆盖查询”中查装机地址的覆盖情况，再按客户的员工人数和用途推荐速率："
                "10 人以内 300M，10–30 人 500M，有视频会议或监控上云的推荐 1000M。",
                "顺带推荐云视讯、云监控等融合业务\n说明合约期内的提速政策",
                "没查覆盖就承诺千兆\n只按价格推荐，不问客户用途",
                [
                    Shot(
                        CRM,
                        "宽带覆盖查询",
                        [
                            ("装机地址", "天河区体育西路103号首层"),
                            ("覆盖方式", "FTTH 光纤入户"),
                            ("最高速率", "1000M"),
                            ("端口状态", "空闲 6 个"),
                        ],
                        "覆盖查询结果",
                        highlight=1,
                        button="查询",
                    )
                ],
            ),
            Step(
                "受理下单",
                "在 CRM“企业宽带受理”中选择套餐、合约期，需要固定 IP 的勾选并填写数量，"
                "录入客户希望的装机时间段，提交后把受理单号告诉客户。",
                "装机时间段给出两个备选\n合约期内资费写在受理单上",
                "套餐选成个人宽带资费\n忘记勾选客户要的固定 IP",
                [
                    Shot(
                        CRM,
                        "企业宽带受理",
                        [
                            ("套餐", "企业宽带 500M"),
                            ("合约期", "24 个月"),
                            ("固定IP", "不需要"),
                            ("月资费", "299 元"),
                            ("预约装机", "7月3日 上午"),
                            ("受理渠道", "客户经理上门"),
                        ],
                        "选对企业宽带套餐",
                        highlight=0,
                    )
                ],
            ),
            Step(
                "预约上门安装",
                "受理后 2 小时内与装维人员确认上门时间，并提前告诉客户：需要有人在场、"
                "准备好弱电间钥匙、确定路由器摆放位置。安装当天客户经理电话跟进。",
                "提前确认物业是否允许施工\n商铺类客户避开营业高峰",
                "没有通知物业，装维到场进不了弱电间\n客户不在场，白跑一趟",
                [
                    Photo(
                        "宽带装机预约单",
                        [
                            ("受理单号", "KD20260702-0418"),
                            ("预约时间", "7月3日 9:00-12:00"),
                            ("现场联系人", "陈女士"),
                            ("物业已通知", "是"),
                        ],
                        "装机预约单",
                        ticks=True,
                    )
                ],
            ),
            Step(
                "装机回访",
                "装通后 24 小时内回访：请客户测速并截图，确认 Wi-Fi 覆盖和上网正常，记录满意度。"
                "有问题的当场派修障单。",
                "回访时顺带了解客户的其他通信需求",
                "只发短信不打电话\n客户反映网速慢未跟进处理",
                [
                    Shot(
                        CRM,
                        "工单回访",
                        [
                            ("受理单号", "KD20260702-0418"),
                            ("测速结果", "下行 512M"),
                            ("满意度", "非常满意"),
                            ("回访方式", "电话回访"),
                        ],
                        "回访结果记录",
                        highlight=2,
                        button="保存",
                    )
                ],
            ),
        ],
    ),
    Guide(
        "W17",
        "物联网卡批量开卡",
        4,
        3,
        "物联网卡批量开卡 · 工作指引",
        "物联网卡按行业主管部门要求实名、定向、机卡绑定。本指引讲一次 500 张卡的批量开卡怎样做：少一步，"
        "卡开出来也会被停机。",
        [
            Step(
                "确认应用场景与套餐",
                "问清卡用在什么设备上（车载终端、智能表计、POS 机、共享设备等）、每张卡每月大约用多少流量、"
                "需不需要短信和语音、访问哪些地址，再选流量池套餐。",
                "流量池比单卡套餐更省，月用量差异大时优先推荐\n记下设备型号，后面机卡绑定要用",
                "不问场景就开通用流量卡，后期被判定为违规使用\n开通语音功能，物联网卡一般不允许",
                [
                    Photo(
                        "物联网业务需求表",
                        [
                            ("客户名称", "广州市快达物流有限公司"),
                            ("应用场景", "车载定位终端"),
                            ("卡数量", "500 张"),
                            ("月均流量", "每卡 200MB"),
                            ("需短信", "否"),
                        ],
                        "物联网需求表",
                        ticks=True,
                    )
                ],
            ),
            Step(
                "准备实名资料",
                "物联网卡要单位实名：营业执照、经办人身份证、授权委托书，外加《物联网卡安全责任承诺书》，"
                "写明卡的用途和使用人，盖公章。",
                "承诺书的用途要与需求表一致\n资料扫描成一个 PDF 上传，方便审核",
                "承诺书只签字不盖章\n用途写“其他”，审核不通过",
                [
                    Photo(
                        "物联网卡安全责任承诺书",
                        [
                            ("单位名称", "广州市快达物流有限公司"),
                            ("卡号段", "1440 2567 …"),
                            ("用途", "车载定位终端数据回传"),
                            ("责任人", "王强"),
                        ],
                        "盖章的安全责任承诺书",
                        stamp="公章",
                    )
                ],
            ),
            Step(
                "建集团账户与流量池",
                "在物联网连接管理平台中为客户建立集团账户，创建流量池，选择套餐和池容量，设置超量提醒阈值。",
                "超量提醒设在 80%，提醒发给客户的管理员\n流量池名称带上客户简称，便于查找",
                "池容量按峰值月份估算，造成浪费\n没有设置提醒，超量后高额计费引发投诉",
                [
                    Shot(
                        IOT,
                        "创建流量池",
                        [
                            ("集团客户", "快达物流"),
                            ("套餐", "物联网流量池 100GB"),
                            ("池容量", "100 GB/月"),
                            ("提醒阈值", "80%"),
                            ("提醒对象", "客户管理员"),
                        ],
                        "创建流量池",
                        highlight=3,
                        button="创建",
                    )
                ],
            ),
            Step(
                "批量导入开卡清单",
                "下载平台的批量开卡模板，按模板填写 ICCID、设备编号和使用人，上传后查看校验结果，"
                "失败的行按提示改正后重新上传。",
                "ICCID 列设为文本格式\n一次不超过 1,000 行",
                "ICCID 被 Excel 变成科学计数法\n改动模板的列顺序",
                [
                    Shot(
                        IOT,
                        "批量开卡",
                        [
                            ("开卡模板", "批量开卡模板 v3.xlsx"),
                            ("上传文件", "快达物流-500张.xlsx"),
                            ("校验通过", "498 行"),
                            ("校验失败", "2 行（ICCID 格式错误）"),
                            ("流量池", "快达物流-100GB"),
                        ],
                        "校验结果：失败的两行改正后重传",
                        highlight=3,
                        button="确认开卡",
                    )
                ],
            ),
            Step(
                "配置定向访问与机卡绑定",
                "按客户提供的服务器地址配置定向访问白名单，开启机卡绑定（卡只能在登记的设备上使用），"
                "关闭不需要的短信功能。",
                "白名单填域名时确认客户服务器的全部地址\n先用 5 张卡测试，再批量生效",
                "没开机卡绑定，卡被拔出挪作他用\n白名单漏填备用服务器地址",
                [
                    Shot(
                        IOT,
                        "功能配置",
                        [
                            ("定向访问", "开启"),
                            ("白名单", "gps.kuaida.com; 203.0.113.25"),
                            ("机卡绑定", "开启"),
                            ("短信功能", "关闭"),
                        ],
                        "定向访问与机卡绑定",
                        highlight=2,
                        button="保存",
                    )
                ],
            ),
            Step(
                "交付与激活测试",
                "把卡交给客户时当面抽检 5% 的卡插机测试，确认能上线、数据能回传，请客户在交付签收单上签字。",
                "签收单写明卡号段和数量\n告诉客户沉默期和计费起始日",
                "不测试就交付\n签收单没写数量，后期对账困难",
                [
                    Photo(
                        "物联网卡交付签收单",
                        [
                            ("卡号段", "1440 2567 0001–0500"),
                            ("数量", "500 张"),
                            ("抽检结果", "25 张全部上线"),
                            ("签收人", "王强"),
                        ],
                        "交付签收单",
                        stamp="业务专用章",
                    )
                ],
            ),
        ],
    ),
    Guide(
        "W18",
        "集团短信业务开通",
        3,
        3,
        "集团短信业务开通 · 工作指引",
        "集团短信（行业短信）用于验证码、通知和经客户同意的营销。签名和模板报备不通过，业务就开不了：按下面五步准备。",
        [
            Step(
                "核实签名与用途",
                "短信签名（【】里的名称）须是企业全称、简称或注册商标，提供对应证明。问清短信用途："
                "验证码、通知还是营销；营销短信须有接收人同意的记录。",
                "签名 2–12 个字\n用商标做签名的，带上商标注册证",
                "用与企业无关的名称做签名\n营销短信拿不出用户同意的记录",
                [
                    Photo(
                        "短信签名报备表",
                        [
                            ("企业名称", "广州市优品生活超市有限公司"),
                            ("签名", "【优品生活】"),
                            ("用途", "会员通知、验证码"),
                            ("证明材料", "营业执照、商标注册证"),
                        ],
                        "签名报备表",
                        stamp="公章",
                    )
                ],
            ),
            Step(
                "提交资质与模板报备",
                "在集团短信平台提交签名报备，上传资质文件；再逐条报备短信模板，变量用 ${} 标出。",
                "模板写清退订方式“回T退订”\n通知类和营销类分开报备",
                "模板里写了短链接却没报备域名\n一条模板里混着通知和营销内容",
                [
                    Shot(
                        SMS,
                        "模板报备",
                        [
                            ("签名", "【优品生活】"),
                            ("模板类型", "通知类"),
                            ("模板内容", "您的会员积分${points}将于${date}到期"),
                            ("审核状态", "审核中"),
                        ],
                        "模板报备：变量用 ${} 标出",
                        highlight=2,
                    )
                ],
            ),
            Step(
                "受理开通与分配端口",
                "签名审核通过后在 CRM 受理集团短信业务，选择套餐，系统分配端口号，设置每日发送上限。",
                "日发送上限按客户的会员数估算\n把端口号告诉客户的技术人员",
                "签名还没通过就受理\n日发送上限设得过高，被盗用时损失大",
                [
                    Shot(
                        CRM,
                        "集团短信受理",
                        [
                            ("集团编码", "GZ2026002211"),
                            ("套餐", "行业短信 10 万条"),
                            ("端口号", "1065 7xxx 0021"),
                            ("日发送上限", "5,000 条"),
                        ],
                        "分配端口与日发送上限",
                        highlight=3,
                    )
                ],
            ),
            Step(
                "教客户使用平台",
                "上门或远程演示：登录平台、创建子账号、导入号码、选择模板发送，并做一次测试发送到客户自己的手机。",
                "子账号按岗位分权限\n测试短信发给客户经理和客户各一条",
                "把管理员账号密码写在纸上留给客户前台",
                [
                    Shot(
                        SMS,
                        "发送短信",
                        [
                            ("子账号", "会员部-小周"),
                            ("模板", "会员积分到期提醒"),
                            ("接收号码", "导入 3,216 个"),
                            ("发送时间", "立即发送"),
                        ],
                        "测试发送",
                        highlight=2,
                        button="发送",
                    )
                ],
            ),
            Step(
                "首月跟踪发送与投诉",
                "开通后第一个月每周查看发送成功率和投诉量，成功率低于 95% 或出现投诉时，与客户一起查原因。",
                "提醒客户避开 21 点以后发送营销短信",
                "出现投诉不处理，端口被关停",
                [
                    Shot(
                        SMS,
                        "发送统计",
                        [
                            ("统计周期", "2026-07-01 至 07-07"),
                            ("发送量", "12,480 条"),
                            ("成功率", "98.6%"),
                            ("投诉", "0 起"),
                        ],
                        "首周发送统计",
                        highlight=2,
                        button="导出",
                    )
                ],
            ),
        ],
    ),
    Guide(
        "W02",
        "客户拜访前准备",
        5,
        5,
        "客户拜访前准备 · 工作指引",
        "一次拜访的成败在出门前就决定了大半。六个步骤，半小时做完：目的、档案、行业、资料、预约、路线。",
        [
            Step(
                "明确拜访目的",
                "写下这次拜访的一个主要目的（了解需求、递交方案、促成签约、处理投诉），以及希望客户做出的一个具体承诺，"
                "例如“同意安排 IT 负责人下周看方案演示”。",
                "目的写成客户的行动，不写成自己的动作\n准备一个退而求其次的目标",
                "一次拜访想谈五件事，什么都没谈成",
                [
                    Photo(
                        "客户拜访计划表",
                        [
                            ("客户", "广州市恒信科技有限公司"),
                            ("拜访对象", "IT 总监 刘先生"),
                            ("主要目的", "介绍云专线组网方案"),
                            ("期望承诺", "同意下周方案演示"),
                        ],
                        "拜访计划表",
                    )
                ],
            ),
            Step(
                "查阅客户档案",
                "在 CRM 客户视图查看：在网业务、合同到期时间、近三个月的投诉和欠费、上次拜访记录。"
                "有未解决的投诉，先解决或准备好答复。",
                "合同 6 个月内到期的，带上续约方案\n记下关键人的姓名和职务",
                "不看投诉记录就去推销新业务",
                [
                    Shot(
                        CRM,
                        "客户视图",
                        [
                            ("客户名称", "广州市恒信科技有限公司"),
                            ("在网业务", "专线 1 条、宽带 3 条"),
                            ("合同到期", "2026-11-30"),
                            ("近期投诉", "1 起（已解决）"),
                            ("欠费", "无"),
                            ("上次拜访", "2026-05-12"),
                        ],
                        "客户视图：合同到期与投诉",
                        highlight=2,
                        button="新建拜访",
                    )
                ],
            ),
            Step(
                "了解行业与竞争",
                "花 10 分钟了解客户所在行业的近况和客户自身的新闻（扩张、新项目、招标），"
                "再查清竞争对手在这家客户有哪些业务、合同何时到期。",
                "准备一个同行业的成功案例\n把行业痛点写成两三个可以问的问题",
                "在客户面前贬低竞争对手",
            ),
            Step(
                "准备方案与资料",
                "按清单准备：方案（打印两份）、同行业案例、资费单、名片、平板上的演示内容，"
                "需要当场签约的带上受理单和协议。",
                "前一晚检查平板电量和演示能否离线打开",
                "资费单是旧版本\n需要签约时没带协议",
                [
                    Photo(
                        "拜访准备清单",
                        [
                            ("方案", "是"),
                            ("行业案例", "是"),
                            ("最新资费单", "是"),
                            ("受理单与协议", "是"),
                            ("名片", "是"),
                        ],
                        "出门前逐项打勾",
                        ticks=True,
                    )
                ],
            ),
            Step(
                "预约并确认",
                "至少提前一天预约，说清拜访目的和大约时长；拜访当天上午再发一条确认信息。",
                "把议程用一两句话发给客户\n客户临时取消的，当场约下一次时间",
                "不预约直接上门\n约了时间却迟到",
            ),
            Step(
                "规划路线，提前到达",
                "规划路线，预留堵车时间，提前 15 分钟到达；同一片区的客户安排在同一天拜访。",
                "到达后先在前台或车上再看一遍拜访计划\n着装整洁，带好工牌",
                "一天排满跨区拜访，每家都匆匆忙忙",
            ),
        ],
    ),
    Guide(
        "W10",
        "合同签订与归档",
        4,
        3,
        "合同签订与归档 · 工作指引",
        "合同是收入和责任的依据。模板、要素、审批、签章、扫描、归档：六步做完，审计时查得到、对得上。",
        [
            Step(
                "选用合同模板",
                "在合同管理系统中按业务选择法务部发布的标准模板；客户要求修改条款的，把修改内容标出，走非标审批。",
                "模板以系统里的最新版本为准",
                "用本地保存的旧模板\n直接在标准条款上改动不标记",
                [
                    Shot(
                        CONTRACT,
                        "选择合同模板",
                        [
                            ("业务类型", "互联网专线"),
                            ("合同模板", "专线服务合同（2026 版）"),
                            ("非标条款", "无"),
                            ("模板状态", "有效"),
                        ],
                        "选用系统中的最新模板",
                        highlight=1,
                        button="下一步",
                    )
                ],
            ),
            Step(
                "填写合同要素",
                "填写甲乙双方全称、统一社会信用代码、合同金额、期限、付款方式、服务等级和违约责任，"
                "金额大写与小写一致。",
                "客户名称复制营业执照上的全称\n期限与 CRM 工单的合约期一致",
                "金额大小写不一致\n甲方名称写了简称",
                [
                    Shot(
                        CONTRACT,
                        "合同要素",
                        [
                            ("甲方", "广州市恒信科技有限公司"),
                            ("合同金额", "116,280.00 元"),
                            ("金额大写", "壹拾壹万陆仟贰佰捌拾元整"),
                            ("期限", "36 个月"),
                            ("付款方式", "按月支付"),
                            ("服务等级", "99.9% 可用"),
                        ],
                        "金额大写与小写一致",
                        highlight=2,
                        button="保存",
                    )
                ],
            ),
            Step(
                "提交合同审批",
                "提交审批：部门经理 → 法务 → 财务（金额超过权限的再到分管领导）。"
                "每天查看审批进度，被退回的按意见修改后重新提交。",
                "紧急的合同提前告诉审批人",
                "审批没完成就让客户先盖章",
                [
                    Shot(
                        CONTRACT,
                        "审批流程",
                        [("部门经理", "已同意"), ("法务", "已同意"), ("财务", "审批中"), ("分管领导", "—")],
                        "审批进度",
                        highlight=2,
                        button="催办",
                    )
                ],
            ),
            Step(
                "客户签章",
                "打印审批通过的合同，请客户法定代表人或授权代表签字、盖合同专用章或公章，多页合同加盖骑缝章，"
                "签署日期写完整。",
                "签章前核对打印版与审批版一致\n我方盖章后再交客户一份原件",
                "漏盖骑缝章\n签字人没有授权委托书",
                [
                    Photo(
                        "专线服务合同 · 签署页",
                        [
                            ("甲方（盖章）", "广州市恒信科技有限公司"),
                            ("授权代表", "刘志远"),
                            ("签署日期", "2026 年 7 月 1 日"),
                        ],
                        "签署页：签字、盖章、日期齐全",
                        stamp="合同专用章",
                    )
                ],
            ),
            Step(
                "扫描上传并关联订单",
                "签章完成当天把合同整份扫描成 PDF，上传到合同管理系统，并关联 CRM 订单号。",
                "扫描件清晰可读，页数与原件一致",
                "只扫描签署页\n忘记关联订单，计费与合同对不上",
                [
                    Shot(
                        CONTRACT,
                        "合同归档",
                        [
                            ("合同编号", "HT-GZ-2026-0715"),
                            ("扫描件", "HT-GZ-2026-0715.pdf（12 页）"),
                            ("关联订单", "KT20260708-0153"),
                            ("归档状态", "待归档"),
                        ],
                        "上传扫描件并关联订单",
                        highlight=2,
                        button="归档",
                    )
                ],
            ),
            Step(
                "原件归档与到期提醒",
                "原件在 5 个工作日内交档案室，登记合同台账；在系统中设置到期前 90 天的续约提醒。",
                "台账写明原件存放位置",
                "原件放在自己抽屉里\n没设到期提醒，合同过期客户流失",
                [
                    Photo(
                        "合同归档登记表",
                        [
                            ("合同编号", "HT-GZ-2026-0715"),
                            ("客户", "广州市恒信科技有限公司"),
                            ("交档日期", "2026-07-06"),
                            ("存放位置", "档案室 B 柜 3 层"),
                        ],
                        "合同归档登记表",
                    )
                ],
            ),
        ],
    ),
]


def image_file(spec: Shot | Photo, rng: random.Random, name: str) -> SimpleUploadedFile:
    if isinstance(spec, Shot):
        data = screenshot(spec.system, spec.screen, spec.fields, highlight=spec.highlight, button=spec.button)
        return SimpleUploadedFile(f"{name}.png", data, content_type="image/png")
    data = form_photo(spec.title, spec.rows, rng=rng, stamp=spec.stamp, ticks=spec.ticks)
    return SimpleUploadedFile(f"{name}.jpg", data, content_type="image/jpeg")


def guides_map(run: DemoRun) -> CassMap | None:
    unit = run.shared.get("province") or run.shared["root"]
    return map_applying(unit) or map_applying(run.shared["root"])


def _work_item(cass_map: CassMap, spec: Guide, run: DemoRun) -> WorkItem:
    found = (
        WorkItem.objects.filter(cass_map=cass_map, code=spec.code).first()
        or WorkItem.objects.filter(cass_map=cass_map, name=spec.work_item).order_by("code").first()
    )
    if found is not None:
        return found
    return do_save_work_item(
        cass_map,
        {
            "code": spec.code,
            "name": spec.work_item,
            "importance": spec.importance,
            "frequency": spec.frequency,
        },
        acting_user=run.acting_user,
    )


# The images: drawn with Pillow at demo time, deterministically: mock screenshots of the
# operator's systems and mock photos of the paper forms, with Chinese labels in Noto Sans CJK
# (Debian's fonts-noto-cjk, the font the PDFs use). Nothing is downloaded.

FONT_DIR = "/usr/share/fonts/opentype/noto/"
SC_INDEX = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)
WIDTH, HEIGHT = 800, 500


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False, serif: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = f"Noto{'Serif' if serif else 'Sans'}CJK-{'Bold' if bold else 'Regular'}.ttc"
    try:
        return ImageFont.truetype(FONT_DIR + name, size, index=SC_INDEX)
    except OSError:  # no CJK font installed: still an image, with boxes for characters
        return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


BLUE, DARK, GREY, LINE, RED = (22, 93, 170), (31, 41, 51), (96, 108, 122), (208, 215, 222), (214, 48, 49)


def _fit(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> str:
    """`text` cut with "…" to fit `width` pixels, as a system's input box shows it."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def screenshot(
    system: str,
    screen: str,
    fields: list[tuple[str, str]],
    *,
    highlight: int | None = None,
    button: str = "提交",
    menu: list[str] | None = None,
    active: int = 2,
) -> bytes:
    """A system's form: title bar, left menu, breadcrumb, labelled fields with their values,
    the field to look at outlined in red with a numbered callout, and the action button."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 44), fill=BLUE)
    draw.text((16, 9), system, font=font(19, bold=True), fill="white")
    draw.text((WIDTH - 170, 13), "客户经理 · 退出", font=font(14), fill=(220, 232, 245))
    draw.rectangle((0, 44, 150, HEIGHT), fill=(35, 49, 66))
    for row, entry in enumerate(menu or ["工作台", "客户管理", "业务受理", "工单查询", "统计报表"]):
        y = 62 + row * 38
        if row == active:
            draw.rectangle((0, y - 8, 150, y + 26), fill=BLUE)
        draw.text((18, y), entry, font=font(15), fill="white")
    draw.text((170, 58), f"首页 / 业务受理 / {screen}", font=font(13), fill=GREY)
    draw.rectangle((166, 84, WIDTH - 16, HEIGHT - 16), fill="white", outline=LINE)
    draw.text((186, 98), screen, font=font(18, bold=True), fill=DARK)
    draw.line((186, 128, WIDTH - 36, 128), fill=LINE)
    columns = 2 if len(fields) > 5 else 1
    per_column = -(-len(fields) // columns)
    column_width = (WIDTH - 16 - 186 - 20) // columns
    for index, (label, value) in enumerate(fields):
        column, row = divmod(index, per_column)
        x, y = 186 + column * column_width, 146 + row * 48
        draw.text((x, y + 6), label, font=font(14), fill=GREY)
        box = (x + 96, y, x + column_width - 16, y + 32)
        draw.rectangle(box, fill=(250, 251, 252), outline=LINE)
        draw.text(
            (box[0] + 8, y + 6), _fit(draw, value, font(14), box[2] - box[0] - 14), font=font(14), fill=DARK
        )
        if index == highlight:
            draw.rectangle((box[0] - 4, box[1] - 4, box[2] + 4, box[3] + 4), outline=RED, width=3)
            draw.ellipse((box[2] - 8, box[1] - 16, box[2] + 16, box[1] + 8), fill=RED)
            draw.text((box[2] - 0, box[1] - 14), "1", font=font(14, bold=True), fill="white")
    bx, by = WIDTH - 140, HEIGHT - 64
    draw.rounded_rectangle((bx, by, bx + 104, by + 34), radius=5, fill=BLUE)
    draw.text((bx + 52, by + 17), button, font=font(15, bold=True), fill="white", anchor="mm")
    draw.rounded_rectangle((bx - 116, by, bx - 12, by + 34), radius=5, outline=LINE, fill="white")
    draw.text((bx - 64, by + 17), "暂存", font=font(15), fill=DARK, anchor="mm")
    return _png(image)


def form_photo(
    title: str, rows: list[tuple[str, str]], *, rng: random.Random, stamp: str = "", ticks: bool = False
) -> bytes:
    """A photo of a paper form on a desk: a slightly turned, softly shadowed sheet with its
    printed grid, handwritten-looking entries (serif, dark blue), and a red stamp."""
    sheet_w, sheet_h = 560, 130 + 52 * len(rows) + (90 if stamp else 30)
    sheet = Image.new("RGB", (sheet_w, sheet_h), (252, 250, 243))
    draw = ImageDraw.Draw(sheet)
    draw.text((sheet_w // 2, 44), title, font=font(24, bold=True, serif=True), fill=(30, 30, 30), anchor="mm")
    draw.text(
        (sheet_w - 40, 84),
        f"编号：No.{rng.randint(100000, 999999)}",
        font=font(12, serif=True),
        fill=(80, 80, 80),
        anchor="rm",
    )
    top = 100
    for index, (label, value) in enumerate(rows):
        y = top + index * 52
        draw.rectangle((36, y, sheet_w - 36, y + 52), outline=(60, 60, 60), width=1)
        draw.line((170, y, 170, y + 52), fill=(60, 60, 60))
        draw.text((48, y + 16), label, font=font(15, serif=True), fill=(40, 40, 40))
        if ticks and value in ("是", "否"):
            for offset, choice in ((186, "是"), (262, "否")):
                draw.rectangle((offset, y + 17, offset + 16, y + 33), outline=(40, 40, 40), width=1)
                draw.text((offset + 24, y + 13), choice, font=font(16, serif=True), fill=(40, 40, 40))
                if choice == value:  # a hand-drawn tick
                    draw.line(
                        (offset + 2, y + 24, offset + 7, y + 31, offset + 20, y + 12),
                        fill=(25, 45, 120),
                        width=3,
                    )
        else:
            draw.text(
                (184 + rng.randint(0, 6), y + 12 + rng.randint(-2, 2)),
                value,
                font=font(18, serif=True),
                fill=(25, 45, 120),
            )
    if stamp:
        cx, cy, r = sheet_w - 130, top + 52 * len(rows) + 44, 42
        layer = Image.new("RGBA", sheet.size, (0, 0, 0, 0))
        ink = ImageDraw.Draw(layer)
        ink.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 30, 40, 190), width=4)
        ink.text((cx, cy - 12), "★", font=font(18), fill=(200, 30, 40, 190), anchor="mm")
        ink.text((cx, cy + 14), stamp, font=font(13, bold=True), fill=(200, 30, 40, 190), anchor="mm")
        sheet.paste(layer, (0, 0), layer)
        draw.text((48, cy - 8), "经办人签字：", font=font(15, serif=True), fill=(40, 40, 40))
        draw.text((150, cy - 12), "张伟", font=font(22, serif=True), fill=(25, 45, 120))
    desk = Image.new("RGB", (WIDTH, HEIGHT + 100), (139, 106, 76))
    grain = ImageDraw.Draw(desk)
    for line in range(0, HEIGHT + 100, 7):
        shade = 120 + (line * 37) % 30
        grain.line((0, line, WIDTH, line + rng.randint(-3, 3)), fill=(shade + 15, shade - 10, shade - 40))
    # The sheet turned a little; its mask (where the sheet is) comes from the turned shape.
    turned = sheet.rotate(
        rng.uniform(-4, 4), expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0)
    )
    shadow_mask = turned.convert("L").point(lambda v: 255 if v > 0 else 0)
    scale = min((WIDTH - 60) / turned.width, (HEIGHT + 60) / turned.height, 1.0)
    size = (int(turned.width * scale), int(turned.height * scale))
    turned, shadow_mask = turned.resize(size), shadow_mask.resize(size)
    x, y = (WIDTH - size[0]) // 2, (HEIGHT + 100 - size[1]) // 2
    shadow = Image.new("RGB", size, (60, 45, 30))
    desk.paste(shadow, (x + 8, y + 10), shadow_mask.filter(ImageFilter.GaussianBlur(6)))
    desk.paste(turned, (x, y), shadow_mask)
    return _jpeg(desk)


class KnowledgeDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        rng = random.Random(f"{run.seed}:knowledge")  # noqa: S311 (demo data, reproducible by design)
        cass_map = guides_map(run)
        if cass_map is None:
            cass_map = do_create_map(
                org_unit=run.shared.get("province") or run.shared["root"],
                model_family=MODEL_FAMILY,
                name=MAP_NAME,
                description="集团客户经理的工作内容、关键动作与学习资源。",
                acting_user=run.acting_user,
            )
        made = {"work_guides": 0, "guide_steps": 0, "guide_images": 0}
        for number, spec in enumerate(GUIDES, start=1):
            run.progress("work guides", number, len(GUIDES))
            item = _work_item(cass_map, spec, run)
            if WorkGuide.objects.filter(work_item=item).exists():
                continue
            item.cass_map = cass_map
            guide = do_create_guide(item, title=spec.title, intro=spec.intro, acting_user=run.acting_user)
            for index, step_spec in enumerate(spec.steps, start=1):
                step = do_save_step(
                    guide,
                    {
                        "title": step_spec.title,
                        "text": step_spec.text,
                        "tips": step_spec.tips,
                        "mistakes": step_spec.mistakes,
                    },
                    acting_user=run.acting_user,
                )
                for image_number, image_spec in enumerate(step_spec.images, start=1):
                    upload = image_file(image_spec, rng, f"{spec.code}-{index}-{image_number}")
                    do_add_image(step, upload, caption=image_spec.caption, acting_user=run.acting_user)
                    made["guide_images"] += 1
                made["guide_steps"] += 1
            do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=run.acting_user)
            made["work_guides"] += 1
        return made

    def describe(self, run: DemoRun) -> list[str]:
        cass_map = guides_map(run)
        if cass_map is None:
            return []
        guides = WorkGuide.objects.filter(resource__cass_map=cass_map)
        images = GuideImage.objects.filter(step__guide__in=guides).count()
        return [f"work guides: {guides.count()} with {images} images, on {cass_map.name}"]


part = KnowledgeDemo()
