//! Name and address pools for a Shanghai customer base: Chinese and English names, real
//! districts and streets with approximate centres.

use super::rng::Rng;

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史",
    "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "莫", "孔", "汤",
    "欧阳", "司马", "诸葛", "上官",
];

pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "华", "文", "晨", "宇", "浩", "欣", "怡", "子", "涵", "梓", "萱", "诺",
    "思", "远", "雨", "桐", "佳", "俊", "然", "轩", "博", "睿", "哲", "琪", "瑶", "婷", "雪", "慧",
    "颖", "鑫", "鹏", "辉", "斌", "晓", "红", "玲", "燕", "琳", "峰", "波", "宁", "凯", "帆", "楠",
    "璐", "悦", "嘉", "铭", "泽", "昊", "逸", "晗", "妍", "彤", "毅", "岚", "蕾", "薇", "卓", "航",
    "骏", "晴", "曦", "乐", "安", "若", "冰", "秀", "英", "兰", "建", "国", "志", "海", "春", "梅",
    "东", "林", "云", "松",
];

pub const FIRST_NAMES: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Emily",
    "Mark",
    "Emma",
    "Paul",
    "Olivia",
    "Steven",
    "Sophie",
    "Andrew",
    "Grace",
    "Kevin",
    "Chloe",
    "Brian",
    "Hannah",
    "George",
    "Lucy",
    "Oliver",
    "Amelia",
    "Henry",
    "Charlotte",
    "Lucas",
    "Isabella",
    "Ethan",
    "Mia",
    "Peter",
    "Anna",
    "Martin",
    "Claire",
    "Simon",
    "Laura",
    "Hugo",
    "Julia",
    "Felix",
    "Nora",
    "Max",
    "Eva",
];

pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
    "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Müller", "Schmidt", "Dubois", "Laurent", "Rossi",
    "Bianchi", "Tanaka", "Suzuki", "Kim", "Park",
];

pub struct District {
    pub zh: &'static str,
    pub en: &'static str,
    pub lat: f64,
    pub lng: f64,
    /// (Chinese, English) street names.
    pub streets: &'static [(&'static str, &'static str)],
}

pub const DISTRICTS: &[District] = &[
    District {
        zh: "徐汇区",
        en: "Xuhui District",
        lat: 31.1885,
        lng: 121.4365,
        streets: &[
            ("漕溪北路", "North Caoxi Road"),
            ("天钥桥路", "Tianyaoqiao Road"),
            ("衡山路", "Hengshan Road"),
            ("肇嘉浜路", "Zhaojiabang Road"),
            ("宜山路", "Yishan Road"),
            ("龙华中路", "Middle Longhua Road"),
            ("斜土路", "Xietu Road"),
        ],
    },
    District {
        zh: "静安区",
        en: "Jing'an District",
        lat: 31.2286,
        lng: 121.4480,
        streets: &[
            ("南京西路", "West Nanjing Road"),
            ("愚园路", "Yuyuan Road"),
            ("常德路", "Changde Road"),
            ("江宁路", "Jiangning Road"),
            ("北京西路", "West Beijing Road"),
            ("万航渡路", "Wanhangdu Road"),
        ],
    },
    District {
        zh: "浦东新区",
        en: "Pudong New Area",
        lat: 31.2215,
        lng: 121.5440,
        streets: &[
            ("世纪大道", "Century Avenue"),
            ("张杨路", "Zhangyang Road"),
            ("浦东南路", "South Pudong Road"),
            ("东方路", "Dongfang Road"),
            ("锦绣路", "Jinxiu Road"),
            ("花木路", "Huamu Road"),
            ("峨山路", "Eshan Road"),
        ],
    },
    District {
        zh: "黄浦区",
        en: "Huangpu District",
        lat: 31.2317,
        lng: 121.4846,
        streets: &[
            ("淮海中路", "Middle Huaihai Road"),
            ("西藏中路", "Middle Xizang Road"),
            ("复兴中路", "Middle Fuxing Road"),
            ("南京东路", "East Nanjing Road"),
        ],
    },
    District {
        zh: "长宁区",
        en: "Changning District",
        lat: 31.2204,
        lng: 121.4241,
        streets: &[
            ("长宁路", "Changning Road"),
            ("天山路", "Tianshan Road"),
            ("仙霞路", "Xianxia Road"),
            ("延安西路", "West Yan'an Road"),
        ],
    },
    District {
        zh: "闵行区",
        en: "Minhang District",
        lat: 31.1128,
        lng: 121.3817,
        streets: &[
            ("七莘路", "Qixin Road"),
            ("沪闵路", "Humin Road"),
            ("都市路", "Dushi Road"),
            ("莘松路", "Xinsong Road"),
        ],
    },
    District {
        zh: "普陀区",
        en: "Putuo District",
        lat: 31.2495,
        lng: 121.3974,
        streets: &[
            ("曹杨路", "Caoyang Road"),
            ("真北路", "Zhenbei Road"),
            ("长寿路", "Changshou Road"),
            ("武宁路", "Wuning Road"),
        ],
    },
    District {
        zh: "杨浦区",
        en: "Yangpu District",
        lat: 31.2595,
        lng: 121.5260,
        streets: &[
            ("四平路", "Siping Road"),
            ("国定路", "Guoding Road"),
            ("淞沪路", "Songhu Road"),
            ("控江路", "Kongjiang Road"),
        ],
    },
];

pub fn chinese_name(rng: &mut Rng) -> String {
    let mut name = (*rng.pick(SURNAMES)).to_owned();
    let first: &&str = rng.pick(GIVEN);
    name.push_str(first);
    if rng.chance(0.7) {
        let second: &&str = rng.pick(GIVEN);
        name.push_str(second);
    }
    name
}

pub fn english_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

/// A Chinese mobile number as people write it, in one of several formats.
pub fn mobile(rng: &mut Rng) -> String {
    const PREFIXES: &[&str] = &[
        "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "155", "158", "159",
        "166", "177", "180", "182", "186", "187", "188", "189", "199",
    ];
    let p = rng.pick(PREFIXES);
    let a = rng.below(10_000);
    let b = rng.below(10_000);
    match rng.below(4) {
        0 => format!("{p} {a:04} {b:04}"),
        1 => format!("+86 {p}-{a:04}-{b:04}"),
        _ => format!("{p}{a:04}{b:04}"),
    }
}

pub fn landline(rng: &mut Rng) -> String {
    format!(
        "021-{}{:03} {:04}",
        rng.range(5, 6),
        rng.below(1000),
        rng.below(10_000)
    )
}

pub fn foreign_phone(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("+1 ({}) 555-{:04}", rng.range(201, 989), rng.below(10_000))
    } else {
        format!("+44 20 {:04} {:04}", rng.below(10_000), rng.below(10_000))
    }
}
