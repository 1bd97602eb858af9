//! The words of the benchmark data: what students complain about, lose and ask,
//! and the department heads' own plans (shared/seeds), cut into phrases that
//! combine into realistic Chinese text. Embedded here so a fresh clone needs no
//! files beside the repository. Search documents are made by `crate::search`
//! from the same phrases, so the generated rows are found as typed ones are.

use crate::search;

/// One complaint category: its slug, its share of complaints (percent), and
/// groups of places × problems that make titles ("北区24栋" + "宿舍发现白蚁").
pub struct Category {
    pub slug: &'static str,
    pub weight: usize,
    pub groups: &'static [Group],
    /// School offices complaints of this category are forwarded to.
    pub offices: &'static [&'static str],
}

pub struct Group {
    /// Each ends in a Chinese character, so it runs on into the problem.
    pub places: &'static [&'static str],
    /// (title phrase, the description's first sentence)
    pub problems: &'static [(&'static str, &'static str)],
}

const DORMS: &[&str] =
    &["北区24栋", "北区57栋", "西区12栋", "西区8栋", "东区3栋", "南区6栋", "西区15栋", "北区研究生公寓"];

pub const CATEGORIES: &[Category] = &[
    Category {
        slug: "dorm",
        weight: 24,
        offices: &["宿舍管理中心", "后勤处"],
        groups: &[Group {
            places: DORMS,
            problems: &[
                ("宿舍发现白蚁", "宿舍墙角和书桌腿出现白蚁，已经蛀坏了书桌和衣柜，请尽快安排除虫。"),
                ("热水供应不稳定", "晚上十点以后经常没有热水，冬天只能用冷水洗澡。"),
                ("空调漏水", "空调室内机一直往下滴水，床铺和书都被打湿了。"),
                ("空调不制冷", "空调开到最低温度也不制冷，宿舍里闷热得睡不着。"),
                ("网络经常断线", "宿舍网络晚上高峰期经常断线，影响上网课和交作业。"),
                ("楼道灯损坏", "楼道灯坏了两个多星期，晚上回宿舍只能摸黑走楼梯。"),
                ("洗衣机故障", "楼里的公共洗衣机坏了一半，扣了钱却不转。"),
                ("卫生间下水道堵塞", "卫生间下水道堵塞返味，地面经常积水。"),
                ("门禁卡无法刷开", "新换的门禁系统经常刷不开门，晚上进不了楼。"),
                ("装修噪音影响休息", "隔壁楼栋装修每天早上七点开始施工，影响休息和复习。"),
                ("窗户关不严漏风", "窗户变形关不严，刮风下雨时雨水会漏进来。"),
                ("墙皮大面积脱落", "天花板和墙皮大面积脱落，掉在床上和桌上。"),
                ("饮水机水质差", "楼层饮水机出水有异味，滤芯很久没有更换。"),
                ("电路频繁跳闸", "宿舍电路频繁跳闸，用吹风机和台灯就会断电。"),
                ("床板断裂", "上铺床板断裂，睡觉时很危险，报修后一直没有更换。"),
                ("蚊虫多无人消杀", "楼道和宿舍蚊虫很多，一直没有人来消杀。"),
                ("阳台积水", "阳台排水口堵住了，下雨后积水漫进宿舍。"),
                ("宿管态度恶劣", "找宿管借维修工具时态度很差，还不让登记报修。"),
                ("快递柜不够用", "楼下快递柜太少，经常放不下只能堆在地上。"),
                ("热水器漏电", "卫生间热水器有漏电的感觉，洗澡时很害怕。"),
            ],
        }],
    },
    Category {
        slug: "girls-dorm",
        weight: 8,
        offices: &["宿舍管理中心", "后勤处"],
        groups: &[Group {
            places: &["北区24栋女生宿舍", "北区57栋女生宿舍", "西区女生公寓3栋", "东区女生公寓"],
            problems: &[
                ("宿舍白蚁泛滥", "宿舍里白蚁泛滥，衣柜和门框都被蛀空了，晚上还会飞进蚊帐。"),
                ("维修改造进度太慢", "宿舍维修改造拖了一个学期，卫生间一直不能使用。"),
                ("晚上有陌生男性进入", "晚上有陌生男性跟着进楼，宿管没有阻拦，大家很害怕。"),
                ("洗澡热水时间太短", "洗澡热水只供应两个小时，排队排到很晚。"),
                ("晾衣区不够", "楼里晾衣区太少，衣服只能晾在走廊里。"),
                ("卫生间隔板损坏", "卫生间隔板和门锁损坏，没有一点隐私。"),
                ("楼下路灯不亮", "宿舍楼下的路灯坏了，晚上回来一片漆黑。"),
                ("查寝时间不合理", "查寝安排在晚上十一点以后，影响休息。"),
                ("吹风机限电", "宿舍限电功率太低，用吹风机就跳闸。"),
                ("门禁系统故障", "门禁系统故障时大门一直敞开，任何人都能进来。"),
                ("宿舍漏雨", "顶楼宿舍下雨就漏水，被子都湿了。"),
                ("洗衣房收费过高", "洗衣房涨价后洗一次要八块钱，比外面还贵。"),
                ("楼道堆放杂物", "楼道里堆满了杂物和纸箱，存在消防隐患。"),
                ("浴室防滑不足", "浴室地面太滑，已经有同学摔倒受伤。"),
            ],
        }],
    },
    Category {
        slug: "canteen",
        weight: 16,
        offices: &["后勤处"],
        groups: &[Group {
            places: &["西区第一食堂", "西二食堂", "北区食堂", "东区清真食堂", "西区第三食堂", "北区风味餐厅"],
            problems: &[
                ("饭菜价格上涨", "这学期饭菜价格普遍上涨，分量却比以前少了。"),
                ("饭菜里吃出异物", "午饭里吃出了头发和塑料片，窗口只是换了一份。"),
                ("窗口排队时间过长", "中午只开两个窗口，排队要二十多分钟，下午上课来不及。"),
                ("餐具清洗不干净", "餐盘和勺子上经常有油污和饭粒。"),
                ("饭卡多扣费", "刷卡时显示的金额和实际扣款不一致，多扣了钱。"),
                ("营业时间太短", "晚上七点就关门了，上完晚课只能饿肚子。"),
                ("菜品分量减少", "同样的价格，菜的分量比上学期少了一半。"),
                ("餐桌油污严重", "餐桌长时间没人擦，到处是油污和剩饭。"),
                ("夜宵窗口关闭", "夜宵窗口突然关闭，也没有任何通知。"),
                ("就餐区太闷热", "就餐区空调不开，夏天吃饭满身是汗。"),
                ("工作人员不戴口罩", "打菜的工作人员不戴口罩和帽子，卫生让人担心。"),
                ("菜品种类单一", "每天都是那几样菜，很少更换。"),
            ],
        }],
    },
    Category {
        slug: "teaching",
        weight: 12,
        offices: &["教务处", "基建处"],
        groups: &[
            Group {
                places: &["教学楼3号楼", "教三楼", "西区第一教学楼", "北区综合教学楼", "教学楼5号楼", "实验楼"],
                problems: &[
                    ("吊扇松动有掉落风险", "教室吊扇转起来晃得很厉害，担心会掉下来砸到人。"),
                    ("教室桌椅损坏", "多间教室的桌椅损坏已经一个多月，报修后没有回音。"),
                    ("投影仪无法使用", "教室投影仪经常黑屏，老师只能在黑板上写。"),
                    ("空调无法开启", "教室空调一直开不了，上课时闷热难受。"),
                    ("插座不够用", "自习教室插座太少，电脑没电只能换座位。"),
                    ("自习室晚上被占用", "晚上的自习教室经常被社团活动占用。"),
                    ("黑板反光看不清", "黑板反光严重，后排同学根本看不清。"),
                    ("教室门锁损坏", "教室门锁坏了，晚上放在教室的东西经常丢。"),
                    ("厕所长期无水", "楼里的厕所长期没有水，卫生状况很差。"),
                ],
            },
            Group {
                places: &["本学期", "公选课", "体育课", "英语课"],
                problems: &[
                    ("选课系统崩溃", "选课系统一开放就崩溃，刷了一个晚上也进不去。"),
                    ("选课名额分配不公", "选课名额优先给了高年级，低年级根本选不上。"),
                    ("课表临时调整不通知", "课表临时调整没有任何通知，很多同学白跑一趟。"),
                ],
            },
        ],
    },
    Category {
        slug: "safety",
        weight: 5,
        offices: &["保卫处", "基建处"],
        groups: &[Group {
            places: &["西区通往北区的地下通道", "隧道口", "北区施工工地旁", "西区东门", "图书馆后门小路", "北区篮球场"],
            problems: &[
                ("栏杆松动致同学受伤", "栏杆松动，昨晚有同学扶栏杆时摔倒受伤。"),
                ("夜间路灯不亮", "这一段路灯坏了很久，晚上走路很不安全。"),
                ("施工围挡倒塌", "施工围挡被风吹倒，压住了半条路。"),
                ("井盖缺失", "路上有个井盖缺失，只用一个路障挡着。"),
                ("监控损坏", "这里的监控坏了，自行车被偷后查不到。"),
                ("外来人员随意进出", "外来人员随意进出，没有任何登记。"),
                ("消防通道被占用", "消防通道被车辆和杂物长期占用。"),
                ("电动车充电存在隐患", "有人私拉电线给电动车充电，存在火灾隐患。"),
            ],
        }],
    },
    Category {
        slug: "logistics",
        weight: 12,
        offices: &["后勤处", "学生处"],
        groups: &[
            Group {
                places: &["北区快递点", "西区快递站", "东区菜鸟驿站"],
                problems: &[
                    ("快递堆放混乱丢件", "快递随意堆在地上，经常找不到或者被别人拿走。"),
                    ("取快递排长队", "取快递要排半个小时的队，只有一个人在扫码。"),
                    ("快递点营业时间太短", "快递点下午五点就关门了，下课后取不到。"),
                ],
            },
            Group {
                places: &["西区浴室", "北区开水房", "东区浴室"],
                problems: &[
                    ("热水卡充值困难", "热水卡只能在工作日白天充值，经常没钱洗澡。"),
                    ("设施老化", "浴室花洒和水龙头老化，一半都不能用了。"),
                    ("排队无人管理", "高峰期排队混乱，没有工作人员管理。"),
                ],
            },
            Group {
                places: &["校园超市", "北区水果店", "西区打印店"],
                problems: &[
                    ("价格比校外贵", "同样的商品比校外贵了不少，也没有明码标价。"),
                    ("服务态度差", "询问价格时店员态度很差，还不让退换。"),
                ],
            },
        ],
    },
    Category {
        slug: "library",
        weight: 9,
        offices: &["图书馆"],
        groups: &[Group {
            places: &["图书馆总馆", "北区图书馆", "图书馆三楼自习室", "西区图书分馆"],
            problems: &[
                ("超期罚款计算有误", "系统维护期间无法还书，却仍然按天计算了超期罚款。"),
                ("座位被长期占用", "很多座位一整天放着书占座，人却不在。"),
                ("开放时间太短", "考试周晚上十点就闭馆，复习时间不够。"),
                ("空调温度太低", "阅览室空调开得太冷，坐一会儿就冻得手脚冰凉。"),
                ("网络连接困难", "馆内无线网络几乎连不上，查不了资料。"),
                ("夹带书籍被罚不合理", "没有注意把自己的书带进了馆，出门时被罚款。"),
                ("借书系统故障", "自助借书机经常故障，排队等人工办理。"),
                ("考试周座位不够", "考试周座位严重不足，早上六点就要排队。"),
                ("饮水机坏了", "楼层饮水机坏了很久，只能下楼接水。"),
            ],
        }],
    },
    Category {
        slug: "transport",
        weight: 6,
        offices: &["保卫处", "基建处"],
        groups: &[Group {
            places: &["北区食堂旁自行车棚", "西区校门口", "校车站", "南门外公交站", "北区停车场"],
            problems: &[
                ("施工车辆压坏自行车", "施工车辆倒车时压坏了好几辆自行车，施工方不承认。"),
                ("校车班次太少", "早高峰校车班次太少，每天都挤不上车。"),
                ("电动车乱停乱放", "电动车乱停乱放，把出口都堵住了。"),
                ("共享单车堆积", "共享单车堆积如山，人都走不过去。"),
                ("机动车车速过快", "校内机动车车速很快，差点撞到行人。"),
                ("校车不按时发车", "校车经常晚点，也不按时刻表发车。"),
            ],
        }],
    },
    Category {
        slug: "other",
        weight: 8,
        offices: &["学生处"],
        groups: &[Group {
            places: &["学生活动中心", "体育馆", "校园网", "学生服务中心", "田径场", "校医院"],
            problems: &[
                ("场地预约困难", "场地预约系统总是显示约满，但现场却空着。"),
                ("收费不透明", "收费项目不透明，也不给开收据。"),
                ("网速太慢", "晚上网速慢得几乎打不开网页。"),
                ("办事流程繁琐", "办一个证明要跑好几个地方盖章。"),
                ("设施损坏无人维修", "很多设施损坏了很久都没人维修。"),
                ("开放时间不合理", "开放时间都在上课时间，下课后就关门了。"),
            ],
        }],
    },
];

/// What follows the place in a complaint's location ("北区24栋 3楼").
pub const LOCATION_DETAILS: &[&str] = &[
    "1楼",
    "2楼",
    "3楼",
    "4楼",
    "5楼",
    "6楼",
    "门口",
    "一楼大厅",
    "楼道",
    "东侧",
    "西侧",
    "南门",
    "北门",
    "二楼走廊",
    "附近",
    "旁边",
];

/// The student's closing sentence of a description.
pub const FOLLOW_UPS: &[&str] = &[
    "已经向宿管和后勤反映过好几次，一直没有解决。",
    "希望学生会权益服务部帮忙跟进，及时反馈处理结果。",
    "这个问题已经持续一个多月了。",
    "周围很多同学都遇到了同样的问题。",
    "请相关部门尽快处理，谢谢！",
    "希望学校能重视这个问题，给出明确的处理时间。",
    "之前在微博上反映过，没有得到回应。",
    "报修电话一直打不通。",
    "影响了正常的学习和休息。",
    "考试周快到了，希望能尽快解决。",
    "附近同学联名反映，希望能够得到答复。",
    "希望能在校领导接待日上反映这个问题。",
];

/// Why a complaint was rejected (the step's required public text).
pub const REJECTIONS: &[&str] = &[
    "与编号更早的同类投诉重复，已合并处理，请关注那一条的进展。",
    "经核实，该问题不属于学生会权益服务范围，建议直接联系学院辅导员。",
    "反映内容不够具体，请补充具体时间和地点后重新提交。",
    "该问题学校已发布通知统一处理，请关注学校官网公告。",
    "经现场核实，未发现所反映的情况，如仍有问题请重新提交并附照片。",
];

/// The answer with the step to 已答复.
pub const RESPONSES: &[&str] = &[
    "已联系相关职能部门安排处理，请保持电话畅通。",
    "相关部门回复：已列入本月维修计划，完成后会在此更新。",
    "经与学校相关部门沟通，问题已处理完毕，如仍有问题请继续反馈。",
    "已在校领导接待日上反映该问题，学校承诺本学期内解决。",
    "已约谈相关负责人，并要求加强日常检查。",
    "职能部门已到现场核实，相关整改已经完成。",
    "学校已安排专项经费，预计两周内整改到位。",
];

/// Public replies the handlers write on the way.
pub const PUBLIC_REPLIES: &[&str] = &[
    "我们已将情况转达给相关部门，正在等待回复。",
    "部门成员已到现场查看，情况属实，正在协调处理。",
    "感谢反映，我们会持续跟进，有进展第一时间在这里更新。",
    "维修人员反馈配件需要采购，预计下周到货。",
    "已发函至相关职能部门，要求在规定时间内答复。",
    "处理结果出来后会在部门微博同步公布。",
];

/// Internal notes: the work plans' own words about following a case.
pub const INTERNAL_NOTES: &[&str] = &[
    "发生异常时第一时间到现场去了解问题，分析问题，解决问题。",
    "按时跟进、及时反馈，避免学校承诺的问题得不到及时解决。",
    "已联系受理老师，对方态度积极，下周再次确认进度。",
    "同类问题较多，建议汇总后在校领导接待日上集中反映。",
    "已记录在部门周例会，交由部员跟进。",
    "需要与基建部共同开展调研，充当桥梁。",
    "将此类问题的处理经验共享，更注重程序化和系统化。",
    "已电话联系投诉同学，核实了具体情况。",
    "受理老师暂未回复，明天再催一次。",
    "与宣传部沟通，处理结果出来后在微博公布。",
    "结果往往因为受理老师的态度而不一，需要部长出面协调。",
];

/// What reporters add to their own complaints.
pub const REPORTER_REPLIES: &[&str] = &[
    "补充一下：问题在晚上更严重。",
    "谢谢学生会的跟进！",
    "今天又出现了，希望尽快处理。",
    "已经按要求补充了具体位置。",
    "维修师傅来过了，但问题没有彻底解决。",
    "请问有处理进度吗？已经过去一周了。",
    "麻烦尽快安排人来看一下。",
];

/// Lost-and-found categories with their share of found items (percent) and descriptions.
pub const ITEM_KINDS: &[(&str, usize, &[&str])] = &[
    ("card", 16, &["校园卡"]),
    (
        "electronics",
        12,
        &[
            "蓝牙耳机（充电盒）",
            "蓝牙耳机（单只）",
            "充电宝",
            "手机",
            "U盘",
            "计算器",
            "数据线",
            "智能手表",
            "平板电脑",
            "笔记本电脑充电器",
            "无线鼠标",
        ],
    ),
    (
        "keys",
        12,
        &["钥匙串（3把钥匙，挂小熊挂件）", "宿舍钥匙", "自行车钥匙", "电动车钥匙", "钥匙串（带门禁卡）", "柜子钥匙"],
    ),
    (
        "books",
        12,
        &[
            "《高等数学》（下册）",
            "《大学英语》",
            "《线性代数》",
            "《概率论与数理统计》",
            "课堂笔记本",
            "错题本",
            "考研英语词汇书",
            "实验报告册",
            "《大学物理》",
        ],
    ),
    ("clothing", 10, &["连帽卫衣", "羽绒服", "运动外套", "围巾", "棒球帽", "手套", "牛仔外套", "冲锋衣"]),
    ("umbrella", 10, &["长柄雨伞", "折叠雨伞", "透明雨伞", "自动折叠雨伞", "格子雨伞", "儿童雨伞"]),
    ("wallet", 6, &["皮质钱包，内有少量现金", "零钱包", "卡包", "长款钱包", "帆布钱包"]),
    (
        "other",
        22,
        &[
            "保温杯",
            "水杯",
            "眼镜",
            "眼镜盒",
            "书包",
            "帆布袋",
            "饭盒",
            "手链",
            "发夹",
            "跳绳",
            "篮球",
            "羽毛球拍",
            "台灯",
            "雨衣",
            "笔袋",
        ],
    ),
];

pub const COLOURS: &[&str] =
    &["黑色", "白色", "蓝色", "红色", "灰色", "粉色", "绿色", "黄色", "紫色", "棕色", "深蓝色", "米色", "透明", ""];

/// The five points (as the migration names them), their share of the intake, and where things are found nearby.
pub const POINTS: &[(&str, usize, &[&str])] = &[
    (
        "西区学生活动中心",
        10,
        &["学生活动中心门口", "学生活动中心二楼会议室", "西区篮球场", "西区田径场看台", "西区体育馆"],
    ),
    (
        "西区第一教学楼",
        22,
        &["西区一教204教室", "西区一教一楼大厅", "西区一教三楼走廊", "西区一教门口", "西区二教阶梯教室"],
    ),
    ("西区第一食堂", 20, &["西区第一食堂二楼", "西区第一食堂一楼", "西二食堂门口", "西区食堂餐桌", "西区超市门口"]),
    (
        "北区图书馆",
        30,
        &[
            "北区图书馆三楼自习室",
            "北区图书馆门口伞架",
            "北区图书馆一楼大厅",
            "北区图书馆四楼阅览室",
            "北区图书馆储物柜",
        ],
    ),
    ("北区24栋", 18, &["北区24栋楼下长椅", "北区篮球场", "北区24栋门口", "北区快递点", "北区57栋楼下"]),
];

pub const CLOSE_NOTES: &[(&str, &str)] =
    &[("claimed", "凭学生证认领"), ("returned", "已送还本人"), ("disposed", "超过保管期限，统一处理")];

/// What students say they lost, by category.
pub const LOST_WHAT: &[(&str, &[&str])] = &[
    ("card", &["丢了一张校园卡", "校园卡不见了"]),
    ("electronics", &["丢了一副蓝牙耳机", "充电宝落在教室了", "丢了一个U盘，里面有毕业论文"]),
    ("keys", &["丢了一串钥匙", "宿舍钥匙丢了"]),
    ("books", &["丢了一本《高等数学》", "课堂笔记本找不到了"]),
    ("clothing", &["丢了一件灰色卫衣", "围巾落在食堂了"]),
    ("umbrella", &["丢了一把黑色雨伞", "折叠雨伞忘在图书馆了"]),
    ("wallet", &["丢了一个钱包", "卡包不见了"]),
    ("other", &["丢了一个保温杯", "眼镜丢了", "书包落在操场了"]),
];

pub const LOST_PLACES: &[&str] = &[
    "图书馆附近",
    "西区第一食堂",
    "北区篮球场",
    "教学楼3号楼",
    "校车上",
    "北区24栋附近",
    "西区一教",
    "体育馆",
    "快递点附近",
    "田径场",
];

pub const LOST_DESCRIPTIONS: &[&str] = &[
    "杯盖上贴着一张小熊贴纸。",
    "钥匙上挂着一个蓝色的挂件。",
    "里面有身份证和校园卡。",
    "耳机盒上有划痕。",
    "书的扉页写着名字。",
    "伞柄是木头的。",
    "",
    "",
];

pub const LOST_CONTACTS: &[&str] = &["站内联系即可", "微信同手机号", "可以到宿舍找我", ""];

/// Reception days: what they are about and where.
pub const TOPICS: &[&str] = &[
    "宿舍白蚁防治、教学楼设施安全、食堂价格",
    "图书馆开放时间、校园交通与施工安全",
    "选课系统、教室设施维修",
    "食堂开放日、饭菜质量与价格",
    "宿舍热水与空调维修",
    "校园网络与快递服务",
    "校车班次与交通安全",
    "考试周自习室与图书馆座位",
];

pub const RECEPTION_PLACES: &[&str] = &["行政楼一楼报告厅", "学生活动中心多功能厅", "图书馆报告厅", "行政楼三楼会议室"];

/// (name, title) of the leaders who receive students.
pub const LEADERS: &[(&str, &str)] = &[
    ("王建国", "副校长"),
    ("李明", "后勤处处长"),
    ("张伟", "教务处处长"),
    ("刘芳", "学生处处长"),
    ("陈刚", "保卫处处长"),
    ("赵丽", "图书馆馆长"),
    ("孙强", "基建处处长"),
];

/// (question, answer, commitment, office): what is asked on reception days and promised there.
pub const QUESTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "北区24栋白蚁反复出现，能否彻底治理？",
        "本学期内完成北区宿舍全面白蚁防治。",
        "完成北区全部宿舍楼白蚁防治",
        "后勤处",
    ),
    ("教学楼吊扇掉落后，其他教室的吊扇检查了吗？", "已安排基建处逐间检查。", "全校教室吊扇逐间检查加固", "基建处"),
    ("图书馆考试周能否延长开放到24点？", "考试周试行延长开放时间。", "考试周图书馆延长开放至24点", "图书馆"),
    ("食堂饭菜价格上涨，能否公开成本？", "将公开主要菜品的成本构成。", "公开食堂主要菜品成本构成", "后勤处"),
    ("宿舍热水供应时间能否延长？", "下学期起热水供应延长到24点。", "宿舍热水供应延长至24点", "宿舍管理中心"),
    ("选课系统每学期都崩溃，能否扩容？", "选课前完成服务器扩容。", "完成选课系统服务器扩容", "教务处"),
    ("校车班次能否在早高峰增加？", "早高峰增开两班校车。", "早高峰增开两班校车", "保卫处"),
    ("隧道口栏杆什么时候修好？", "一个月内完成栏杆更换。", "完成隧道口栏杆更换", "基建处"),
    ("快递点能否增加取件柜？", "北区快递点增设智能取件柜。", "北区快递点增设智能取件柜", "后勤处"),
    ("校园网晚上高峰期太慢，能否升级带宽？", "年内完成出口带宽升级。", "校园网出口带宽升级", "学生处"),
    ("施工车辆在校内车速过快，能否限速？", "校内道路增设限速标志和减速带。", "校内道路增设限速标志", "保卫处"),
    ("自习室座位被长期占用怎么办？", "出台自习室座位管理办法。", "完善自习室座位管理办法", "图书馆"),
    ("57栋女生宿舍维修改造什么时候完成？", "暑假期间完成改造。", "完成57栋女生宿舍维修改造", "宿舍管理中心"),
    ("能否增设夜间自习室？", "每栋教学楼开放两间通宵自习室。", "开放通宵自习室", "教务处"),
    ("教室桌椅损坏能否统一更换？", "本学期统一更换损坏桌椅。", "统一更换损坏的教室桌椅", "基建处"),
    ("失物招领能否在网上公布？", "失物招领信息每周在网上公布。", "失物招领信息每周网上公布", "学生处"),
];

pub const COMMITMENT_UPDATES: &[&str] = &[
    "已完成一半楼栋的工作，其余正在推进。",
    "相关部门已完成招标，下月施工。",
    "已全部完成，欢迎同学们监督。",
    "因材料采购延期，预计推迟两周。",
    "学生会已到现场核实，进展属实。",
];

/// Department plans: headings and paragraphs of the heads' own plans (shared/seeds).
pub const GOALS: &[(&str, &str)] = &[
    ("定位清晰", "\"校领导接待日\"系列活动和失物招领平台完善加强，权益维护工作系统化。"),
    ("部门建设", "放手锻炼部员，仍以老部员为骨干，适量招收新部员。"),
    ("扩散权益工作", "权益工作与基建部、女生部、新闻网络部、宣传部共同开展，联合进行，充当桥梁。"),
    ("系统化", "将工作中的经验共享，更注重程序化和系统化。"),
    ("重视宣传", "重视宣传，扩大影响。"),
    ("做好常规工作", "每周对班级和宿舍的卫生情况进行一次检查，并不定期地进行抽查。"),
    ("举办寝室文化节", "向全系学生展示\"文明寝室\"的生活情景，起到模范作用。"),
    ("加强部门协作", "加强部门协作沟通，营建和谐进取的氛围。"),
    ("完善失物招领平台", "全校5个点更换展板，重新设计各个失物点的登记册，定期记录，定期公布。"),
    ("办好校领导接待日", "提前公布接待日时间，扩大宣传，让同学知情、参与。"),
    ("抓好制度建设", "在积极施行、多方征求意见的基础上，修改汇编成册。"),
    ("抓好文书档案管理", "确定专人负责文书档案工作并尽可能保持相对稳定。"),
    ("食堂开放日品牌化", "\"食堂开放日\"活动由权益服务部牵头策划，逐渐形成品牌。"),
    ("加强后续反馈跟踪", "对会上提出的问题按时跟进、及时反馈。"),
    ("提高服务质量", "改进工作方式，加大服务力度，提高服务质量。"),
];

pub const ACTIONS: &[&str] = &[
    "每周三检查宿舍卫生",
    "每月进行卫生小评",
    "每学期进行卫生大评",
    "招收新部员",
    "每周召开部门例会",
    "更换五个失物点展板",
    "重新设计失物点登记册",
    "每周公布失物招领信息",
    "筹备校领导接待日",
    "整理接待日会议纪要",
    "跟进接待日承诺落实情况",
    "策划食堂开放日",
    "开展教务见面会",
    "运营部门微博",
    "撰写权益维护工作日志",
    "汇编部门规章制度",
    "整理文书档案",
    "开展学生权益问卷调查",
    "组织部员培训",
    "举办寝室文化节",
    "推进爱心伞项目",
    "建立失卡送还体系",
    "与基建部联合调研",
    "每月发布权益工作报告",
    "组织部门团建活动",
    "监督全校吊扇检修",
    "跟进57栋宿舍维修改造",
    "配合校会学院五四评优",
    "高数竞赛监考",
    "毕业晚会问卷设计",
];

pub const ACTION_NOTES: &[&str] =
    &["", "", "已完成初稿", "等待主席团审批", "与宣传部协调中", "需要学校老师配合", "部员分工已明确"];

pub const ACHIEVEMENTS: &[&str] = &[
    "## 日常工作的正常开展\n\n包括校领导接待日和失物招领平台在内的部门日常工作得以正常有序开展，在上一届的基础上，延续着品牌活动的影响力。\n\n## 平台的制度化\n\n失物招领平台扩大和更新，西区、北区全校5个点集体更换了新部门的展板，并重新设计了各个失物点的登记册，定期记录，定期公布。",
    "## 新活动的开展\n\n\"食堂开放日\"系列活动由权益服务部牵头策划，在基建、宣传、新网的配合下顺利开展。\n\n此外，完成了关于爱心伞、失卡送还体系两个服务活动的策划。",
    "## 常规工作\n\n每周对班级和宿舍的卫生情况进行一次检查，全系学生宿舍卫生情况基本处于渐渐变好的状态。\n\n## 寝室文化节\n\n向全系学生展示\"文明寝室\"的生活情景，起到了模范作用。",
    "## 权益维护\n\n对同学向我们反映的问题，部门及时做出了处理和回应；教三楼吊扇坠落，部门第一时间赶到现场处理，并促成了后勤部门对全校吊扇进行检修。",
];

pub const SHORTCOMINGS: &[&str] = &[
    "## \"校领导接待日\"监督无力\n\n宣传不够，后续反馈跟踪上做的不足，很多学生在会上提出的问题未按时跟进、及时反馈。",
    "## \"失物招领平台\"影响力欠缺\n\n信息来源不够，影响力不够，如何加大平台影响力是决定她生命力的关键所在。",
    "## 部门应对职能部门缺乏经验\n\n经验缺乏，部员的心理负担重，事情的结果也往往因为受理老师的态度而不一。",
    "## 部门计划混乱\n\n部门的定位过泛，任务繁重，缺乏经验借鉴。",
];

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金",
];

pub const GIVEN_NAMES: &[&str] = &[
    "思远", "明哲", "雨桐", "子涵", "佳怡", "晓婷", "浩然", "欣怡", "博文", "俊杰", "诗涵", "子轩", "雅琪", "宇航",
    "梓萱", "一诺", "浩宇", "欣妍", "子墨", "语嫣", "天佑", "若曦", "嘉怡", "俊熙", "思琪", "皓轩", "梦瑶", "泽宇",
    "静怡", "文博", "可欣", "昊天", "婉清", "明轩", "晨曦", "志强", "丽娜", "海洋", "雪梅", "建华", "晓东", "慧敏",
    "鹏飞", "秀英", "文杰", "颖", "磊", "洋", "婷", "超", "欣然", "子豪", "雨萱", "家乐", "思彤", "宏伟", "佳琪",
    "晓雯", "天翔", "心怡",
];

pub const COLLEGES: &[&str] = &[
    "计算机学院",
    "法学院",
    "经济管理学院",
    "外国语学院",
    "土木工程学院",
    "理学院",
    "机械工程学院",
    "文学院",
    "信息工程学院",
    "建筑学院",
    "新闻传播学院",
    "公共管理学院",
    "化学化工学院",
    "材料科学与工程学院",
    "地球科学学院",
    "资源学院",
    "环境学院",
    "艺术与传媒学院",
    "马克思主义学院",
    "体育学院",
];

/// A searchable piece: its text and its `tsvector` text form (title pieces weighted `A`).
pub struct Piece {
    pub text: String,
    pub doc: String,
}

impl Piece {
    /// Text indexed unweighted (the rest of a document).
    pub fn plain(text: &str) -> Piece {
        Piece { text: text.to_string(), doc: search::tsvector("", text) }
    }
    /// Text indexed as a title (weight `A`).
    pub fn title(text: &str) -> Piece {
        Piece { text: text.to_string(), doc: search::tsvector(text, "") }
    }
}

/// Columns for `unnest`: texts and their documents.
pub fn columns(pieces: &[Piece]) -> (Vec<String>, Vec<String>) {
    pieces.iter().map(|p| (p.text.clone(), p.doc.clone())).unzip()
}

/// One card of the complaint deck: drawing a card uniformly gives each category its share.
pub struct ComplaintCard {
    pub slug: &'static str,
    pub title: String,
    pub place: String,
    pub body: String,
    /// The document of title (weighted), place and body; the row adds its location detail,
    /// its closing sentence and its tracking number.
    pub doc: String,
    pub offices: &'static [&'static str],
}

/// Cards in a deck of about `size`, every category by its weight, every problem equally often.
pub fn complaint_deck(size: usize) -> Vec<ComplaintCard> {
    let total: usize = CATEGORIES.iter().map(|c| c.weight).sum();
    let mut deck = vec![];
    for c in CATEGORIES {
        let combos: Vec<(&str, &(&str, &str))> = c
            .groups
            .iter()
            .flat_map(|g| {
                let n = g.problems.len();
                // Walk the problems in order, the places shifting, so every problem is dealt as often.
                (0..g.places.len() * n).map(move |i| (g.places[(i / n + i) % g.places.len()], &g.problems[i % n]))
            })
            .collect();
        let cards = size * c.weight / total;
        for i in 0..cards {
            let (place, (problem, body)) = combos[i % combos.len()];
            let title = format!("{place}{problem}");
            let doc = search::tsvector(&title, &format!("{place} {body}"));
            deck.push(ComplaintCard {
                slug: c.slug,
                title,
                place: place.to_string(),
                body: body.to_string(),
                doc,
                offices: c.offices,
            });
        }
    }
    deck
}

/// A student's name, from a number.
pub fn person_name(k: usize) -> String {
    format!("{}{}", SURNAMES[k % SURNAMES.len()], GIVEN_NAMES[(k / SURNAMES.len() + k * 7) % GIVEN_NAMES.len()])
}

/// `(value, weight)` lists as a deck of 100 for picking by `1 + floor(random() * 100)`.
pub fn weighted<T: Clone>(items: &[(T, usize)]) -> Vec<T> {
    let total: usize = items.iter().map(|(_, w)| w).sum();
    let mut out = vec![];
    for (item, w) in items {
        out.extend(std::iter::repeat_n(item.clone(), (w * 100).div_ceil(total)));
    }
    out.truncate(100);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::search::document_tokens;

    fn tokens(parts: &[&str]) -> BTreeSet<String> {
        parts.iter().flat_map(|p| document_tokens(p)).collect()
    }

    #[test]
    fn one_to_two_percent_of_complaints_are_about_termites() {
        let deck = complaint_deck(1000);
        let termites = deck.iter().filter(|c| c.title.contains("白蚁") || c.body.contains("白蚁")).count();
        let share = termites as f64 / deck.len() as f64;
        assert!((0.005..=0.02).contains(&share), "{termites} of {}", deck.len());
        assert!(FOLLOW_UPS.iter().chain(LOCATION_DETAILS).all(|s| !s.contains("白蚁")));
    }

    #[test]
    fn categories_are_dealt_by_weight_and_are_the_migrations_slugs() {
        let deck = complaint_deck(1000);
        assert!(deck.len() > 950);
        let dorm = deck.iter().filter(|c| c.slug == "dorm").count();
        assert!((230..=250).contains(&dorm), "{dorm}");
        let slugs: BTreeSet<&str> = CATEGORIES.iter().map(|c| c.slug).collect();
        let migration = include_str!("../../../migrations/0002_complaints.sql");
        for slug in slugs {
            assert!(migration.contains(&format!("('{slug}',")), "{slug}");
        }
    }

    /// The row's document is the union of its pieces' documents: exactly what the portal indexes.
    #[test]
    fn pieces_joined_at_punctuation_or_spaces_index_as_the_whole() {
        for c in complaint_deck(200) {
            assert!(c.place.chars().last().is_some_and(|ch| !ch.is_ascii()), "{}", c.place);
            assert!(c.body.ends_with('。') || c.body.ends_with('！') || c.body.ends_with('？'), "{}", c.body);
            let (detail, follow, no) = ("3楼", FOLLOW_UPS[0], "QY-2026-000123");
            let whole = format!("{} {detail} {}{follow} {no}", c.place, c.body);
            let title: BTreeSet<String> = document_tokens(&c.title).into_iter().collect();
            let rest = tokens(&[&c.place, detail, &c.body, follow, "qy", "2026", "000123"]);
            assert_eq!(document_tokens(&whole).into_iter().collect::<BTreeSet<_>>(), rest);
            assert!(document_tokens(&c.title).iter().all(|t| title.contains(t)));
        }
        for body in FOLLOW_UPS.iter().chain(REJECTIONS).chain(LOST_DESCRIPTIONS.iter().filter(|d| !d.is_empty())) {
            assert!(body.ends_with('。') || body.ends_with('！'), "{body}");
        }
    }

    #[test]
    fn umbrellas_are_found_by_the_word_people_search() {
        let (_, _, umbrellas) = ITEM_KINDS.iter().find(|(c, _, _)| *c == "umbrella").expect("umbrella");
        let query = crate::search::query_tokens("雨伞");
        assert!(umbrellas.iter().all(|u| query.iter().all(|t| document_tokens(u).contains(t))));
        let categories: Vec<&str> = ITEM_KINDS.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(categories, crate::lost_found::model::CATEGORIES);
    }

    #[test]
    fn weighted_decks_have_a_hundred_cards() {
        let deck = weighted(&ITEM_KINDS.iter().map(|(c, w, _)| (*c, *w)).collect::<Vec<_>>());
        assert_eq!(deck.len(), 100);
        assert_eq!(deck.iter().filter(|c| **c == "card").count(), 16);
        let points = weighted(&POINTS.iter().map(|(p, w, _)| (*p, *w)).collect::<Vec<_>>());
        assert_eq!(points.len(), 100);
    }

    #[test]
    fn no_text_holds_a_number_the_public_pages_would_mask() {
        for (_, _, items) in ITEM_KINDS {
            for d in *items {
                assert_eq!(crate::lost_found::model::public_text(d, &[]), *d);
            }
        }
    }
}
