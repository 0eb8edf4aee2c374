//! The shell's own words in English and Simplified Chinese. Keys are the English text, so a
//! missing translation shows English rather than a key. Words that come from the core
//! (notices, reasons) arrive already written.

use domain::customers::Tier;
use domain::jobs::{JobStatus, Priority, ServiceType};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

const KEY: &str = "rounds.lang";

impl Lang {
    /// The saved choice, else the browser's language.
    pub fn initial() -> Self {
        let w = web_sys::window();
        let saved = w
            .as_ref()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(KEY).ok().flatten());
        let browser = w.and_then(|w| w.navigator().language());
        match saved.or(browser) {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    pub fn save(self) {
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(KEY, self.code());
        }
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", self.code());
        }
    }

    /// The same choice, for the core's own words.
    pub fn core(self) -> domain::words::Lang {
        match self {
            Lang::En => domain::words::Lang::English,
            Lang::Zh => domain::words::Lang::SimplifiedChinese,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

/// The language signal, from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// `w!(frame.sign_in)`: a fixed word from the view model's labels, reactive, for use in views.
#[macro_export]
macro_rules! w {
    ($($path:ident).+) => {{
        let view = $crate::use_view();
        move || view.with(|v| v.labels.$($path).+.text.clone())
    }};
}

/// `t!(lang, "English text")`: a reactive translation for use in views.
#[macro_export]
macro_rules! t {
    ($lang:expr, $en:expr) => {{
        let lang = $lang;
        move || $crate::i18n::tr(lang.get(), $en)
    }};
}

pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    if lang == Lang::En {
        return en;
    }
    match en {
        "Rounds" => "巡访",
        "Sign in" => "登录",
        "Signing in…" => "正在登录…",
        "Login" => "账号",
        "Password" => "密码",
        "Sign out" => "退出",
        "Loading…" => "加载中…",
        "Online" => "在线",
        "Offline" => "离线",
        "Syncing…" => "同步中…",
        "Sync now" => "立即同步",
        "waiting to sync" => "条待同步",
        "Last synced" => "上次同步",
        "Dismiss" => "关闭",
        "Refused" => "被拒绝",
        "Field service and sales follow-up" => "上门服务与销售跟进",
        "Unassigned" => "待派工",
        "Technicians" => "技师",
        "Alerts" => "提醒",
        "Map" => "地图",
        "Suggest" => "推荐",
        "Assign" => "派工",
        "Reassign" => "改派",
        "Unassign" => "取消派工",
        "Cancel job" => "取消工单",
        "Plan the day" => "规划今天",
        "Accept plan" => "接受方案",
        "Close" => "关闭",
        "Back" => "返回",
        "Why" => "原因",
        "Not possible" => "不可选",
        "Changes" => "变更",
        "Routes" => "路线",
        "Left unplaced" => "未安排",
        "No jobs waiting." => "没有待派工单。",
        "No jobs today." => "今天没有工单。",
        "Search customers: name, pinyin, phone, address" => "搜索客户：姓名、拼音、电话、地址",
        "Nothing found." => "没有找到。",
        "New job" => "新建工单",
        "Customer" => "客户",
        "Pick a customer from the search results." => "请从搜索结果中选择客户。",
        "Service" => "服务",
        "Priority" => "优先级",
        "Description" => "描述",
        "Minutes" => "分钟",
        "Create job" => "创建工单",
        "New job for this customer" => "为该客户新建工单",
        "planned" => "计划",
        "min" => "分钟",
        "Done today" => "今日完成",
        "My day" => "我的一天",
        "Waiting for parts or a return visit" => "等待配件或再次上门",
        "ETA" => "预计到达",
        "Window" => "时间窗",
        "SLA by" => "承诺时限",
        "History" => "记录",
        "Assets" => "设备",
        "Last visits" => "最近上门",
        "Warranty" => "保修",
        "Maintenance due" => "保养到期",
        "Completion" => "完工",
        "Notes" => "备注",
        "Parts used (one per line, e.g. felt x2)" => "使用配件（每行一个，如 毛毡 x2）",
        "Customer satisfaction (1–5)" => "客户满意度（1–5）",
        "Fixed on the first visit" => "首次上门修复",
        "Complete job" => "完工",
        "Needs parts" => "需要配件",
        "Return visit" => "需要再次上门",
        "Reason" => "原因",
        "Follow-ups" => "跟进",
        "Overdue" => "已逾期",
        "Today" => "今天",
        "Upcoming" => "即将到来",
        "Nothing to follow up." => "没有待跟进事项。",
        "Done" => "完成",
        "Tomorrow morning" => "明早",
        "In 3 days" => "三天后",
        "Log call" => "记录电话",
        "Log visit" => "记录拜访",
        "Open lead" => "打开线索",
        "Pipeline" => "销售漏斗",
        "Conversion" => "成交周期",
        "days" => "天",
        "On time" => "按时完成",
        "Timeline" => "时间线",
        "What happened?" => "结果如何？",
        "Move to" => "转到",
        "Lost reason" => "流失原因",
        "Won value" => "成交金额",
        "Next follow-up" => "下次跟进",
        "Schedule" => "安排",
        "Phone" => "电话",
        "Interest" => "意向",
        "Expected value" => "预计金额",
        "Reminders" => "提醒",
        "Allow notifications" => "允许通知",
        "Phone screen" => "手机视图",
        "Unplaced" => "未安排",
        "Jobs" => "工单",
        "Technician" => "技师",
        "Map without tiles: positions are plotted by longitude and latitude." => {
            "无底图：按经纬度绘制位置。"
        }
        "Book a visit" => "预约上门",
        "Customer form" => "客户资料",
        "Name" => "姓名",
        "Address" => "地址",
        "Save" => "保存",
        "New customer" => "新客户",
        "Possible duplicates" => "可能重复",
        "Merge into this" => "合并到此",
        "Show all" => "显示全部",
        "Edit" => "编辑",
        "District" => "区",
        "Street" => "街道",
        "Building, floor, room" => "楼号、楼层、房间",
        "Merge" => "合并",
        "Not the same" => "不是同一人",
        _ => en,
    }
}

pub fn status(l: Lang, s: JobStatus) -> &'static str {
    match s {
        JobStatus::New => tr2(l, "New", "新建"),
        JobStatus::Assigned => tr2(l, "Assigned", "已派工"),
        JobStatus::EnRoute => tr2(l, "En route", "在途"),
        JobStatus::OnSite => tr2(l, "On site", "已到达"),
        JobStatus::Completed => tr2(l, "Completed", "已完成"),
        JobStatus::NeedsFollowUp => tr2(l, "Needs follow-up", "待跟进"),
        JobStatus::Cancelled => tr2(l, "Cancelled", "已取消"),
    }
}

pub fn service(l: Lang, s: ServiceType) -> &'static str {
    match s {
        ServiceType::Tuning => tr2(l, "Tuning", "调音"),
        ServiceType::Repair => tr2(l, "Repair", "维修"),
        ServiceType::EmergencyRepair => tr2(l, "Emergency repair", "紧急维修"),
        ServiceType::Installation => tr2(l, "Installation", "安装"),
        ServiceType::Maintenance => tr2(l, "Maintenance", "保养"),
        ServiceType::Inspection => tr2(l, "Inspection", "检查"),
    }
}

pub fn priority(l: Lang, p: Priority) -> &'static str {
    match p {
        Priority::Low => tr2(l, "Low", "低"),
        Priority::Normal => tr2(l, "Normal", "普通"),
        Priority::High => tr2(l, "High", "高"),
        Priority::Urgent => tr2(l, "Urgent", "紧急"),
    }
}

pub fn tier(l: Lang, t: Tier) -> &'static str {
    match t {
        Tier::Standard => tr2(l, "Standard", "普通"),
        Tier::Silver => tr2(l, "Silver", "银卡"),
        Tier::Gold => tr2(l, "Gold", "金卡"),
        Tier::Diamond => tr2(l, "Diamond", "钻石"),
    }
}

fn tr2(l: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match l {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
