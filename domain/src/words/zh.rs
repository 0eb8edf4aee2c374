//! The Simplified Chinese table (简体中文).

use super::{Label, Lang, Table};
use crate::customers::{CustomerKind, Tier};
use crate::followups::Why;
use crate::followups::rules::Rule;
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, InterestCategory, LeadSource, Stage};
use crate::ops::{OpError, OpKind, RecordKind};
use crate::org::{OrgSettings, Role};

pub struct Zh;

impl Table for Zh {
    fn lang(&self) -> Lang {
        Lang::SimplifiedChinese
    }

    fn label(&self, label: Label) -> &'static str {
        use Label as L;
        match label {
            // — frame —
            L::AppName => "巡访",
            L::Tagline => "上门服务与销售跟进",
            L::SignIn => "登录",
            L::SigningIn => "正在登录…",
            L::Login => "账号",
            L::Password => "密码",
            L::SignOut => "退出",
            L::Loading => "加载中…",
            L::Online => "在线",
            L::Offline => "离线",
            L::Syncing => "同步中…",
            L::SyncNow => "立即同步",
            L::LastSynced => "上次同步",
            L::Dismiss => "关闭",
            L::Refused => "被拒绝",
            L::Close => "关闭",
            L::Back => "返回",
            L::Save => "保存",
            L::Cancel => "取消",
            L::Language => "语言",
            L::Reminders => "提醒",
            L::AllowNotifications => "允许通知",
            L::CodeLabel => "6 位验证码",
            L::CodeHint => "来自您的身份验证器应用；也可以输入一个恢复码。",
            L::NoRole => "该账号在巡访中还没有角色。",
            L::RemoteWipe => "此设备已被所在机构远程退出，本机数据已清除。",
            L::SignInToChange => "请先登录再修改。",
            L::NoStore => "您的账号尚未归属任何门店。",
            L::EnterLoginAndPassword => "请输入账号和密码。",
            L::WrongLoginOrPassword => "账号或密码错误。",
            L::CodeNeeded => "请输入身份验证器应用中的 6 位验证码（或一个恢复码）。",
            L::CodeWrong => "验证码不正确或已被使用。请输入当前的验证码。",
            L::SecondFactorSetup => {
                "您的组织要求管理员使用第二步验证。请先在网页控制台设置身份验证器应用，然后在此使用其验证码登录。"
            }
            L::OfflineKept => "离线：更改已保存在本设备上，连上服务器后会自动同步。",
            L::SessionExpired => "登录已过期。请重新登录；未同步的更改会保留。",
            L::BadServerAddress => "此应用的服务器地址无效，请联系管理员。",
            // — technician —
            L::Eta => "预计到达",
            L::Window => "时间窗",
            L::SlaBy => "服务时限",
            L::MyDay => "我的一天",
            // — sales —
            L::BadDateTime => "日期或时间无效。",
            L::NotMaintenance => "此提醒与设备保养无关。",
            L::FollowUps => "跟进",
            L::Overdue => "已逾期",
            L::Today => "今天",
            L::Upcoming => "即将到来",
            L::NothingToFollowUp => "没有待跟进事项。",
            L::Done => "完成",
            L::TomorrowMorning => "明早",
            L::InThreeDays => "三天后",
            L::LogCall => "记录电话",
            L::LogVisit => "记录拜访",
            L::OpenLead => "打开线索",
            L::BookVisit => "预约上门",
            L::Pipeline => "销售漏斗",
            L::WhatHappened => "结果如何？",
            L::Timeline => "时间线",
            L::LostReason => "流失原因",
            L::WonValue => "成交金额",
            L::NextFollowUp => "下次跟进",
            L::Schedule => "安排",
            L::Reschedule => "改期",
            L::Due => "到期时间",
            L::ShowAll => "显示全部",
            L::FollowUpNote => "备注",
            L::Phone => "电话",
            L::Interest => "意向",
            L::ExpectedValue => "预计金额",
            L::Budget => "预算",
            L::StageMoved => "阶段",
            L::SayWhyLost => "请说明线索流失的原因。",
            L::EnterWonValue => "请输入成交金额，例如 12,800。",
            L::WonValueNotAmount => "成交金额请填写数字，例如 12,800 或 12,800.50。",
            L::WonValueTooLarge => "成交金额过大，请检查。",
            L::PickDueTime => "请选择跟进的日期和时间。",
            L::NoSuchTime => "该时间在门店时区中不存在（正值时钟调整），请另选时间。",
            // — dispatcher —
            L::WindowBothEnds => "请填写时间窗的开始和结束。",
            L::Unassigned => "待派工",
            // — search and the customer form —
            L::EnterCustomerName => "请输入客户姓名。",
            L::OnlyOwnerEdits => "只有负责该客户的销售或门店经理可以编辑。",
            L::CustomerNotOnDevice => "本设备上没有该客户。",
            L::SearchPlaceholder => "搜索客户：姓名、拼音、电话、地址",
            // — errors —
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => "管理员",
            Role::Dispatcher => "调度",
            Role::Technician => "技师",
            Role::Sales => "销售",
        }
    }

    fn status(&self, status: JobStatus) -> &'static str {
        match status {
            JobStatus::New => "新建",
            JobStatus::Assigned => "已派工",
            JobStatus::EnRoute => "在途",
            JobStatus::OnSite => "已到达",
            JobStatus::Completed => "已完成",
            JobStatus::NeedsFollowUp => "待跟进",
            JobStatus::Cancelled => "已取消",
        }
    }

    fn action(&self, action: JobAction) -> &'static str {
        match action {
            JobAction::Assign => "派工",
            JobAction::Unassign => "取消派工",
            JobAction::StartTravel => "出发",
            JobAction::Arrive => "到达",
            JobAction::Complete => "完工",
            JobAction::NeedFollowUp => "需要跟进",
            JobAction::Cancel => "取消工单",
        }
    }

    fn service(&self, service: ServiceType) -> &'static str {
        match service {
            ServiceType::Tuning => "调音",
            ServiceType::Repair => "维修",
            ServiceType::EmergencyRepair => "紧急维修",
            ServiceType::Installation => "安装",
            ServiceType::Maintenance => "保养",
            ServiceType::Inspection => "检查",
        }
    }

    fn priority(&self, priority: Priority) -> &'static str {
        match priority {
            Priority::Low => "低",
            Priority::Normal => "普通",
            Priority::High => "高",
            Priority::Urgent => "紧急",
        }
    }

    fn tier(&self, tier: Tier) -> &'static str {
        match tier {
            Tier::Standard => "普通会员",
            Tier::Silver => "银卡",
            Tier::Gold => "金卡",
            Tier::Diamond => "钻石",
        }
    }

    fn customer_kind(&self, kind: CustomerKind) -> &'static str {
        match kind {
            CustomerKind::Individual => "个人",
            CustomerKind::Institution => "机构",
            CustomerKind::Business => "企业",
        }
    }

    fn stage(&self, stage: Stage) -> &'static str {
        match stage {
            Stage::New => "新线索",
            Stage::Contacted => "已联系",
            Stage::Qualified => "已确认",
            Stage::Proposal => "方案",
            Stage::Won => "赢单",
            Stage::Lost => "流失",
        }
    }

    fn lead_source(&self, source: LeadSource) -> &'static str {
        match source {
            LeadSource::WalkIn => "到店",
            LeadSource::Phone => "电话",
            LeadSource::Website => "网站",
            LeadSource::Referral => "转介绍",
            LeadSource::Event => "活动",
            LeadSource::Campaign => "营销推广",
        }
    }

    fn interaction(&self, kind: InteractionKind) -> &'static str {
        match kind {
            InteractionKind::Call => "电话",
            InteractionKind::Visit => "拜访",
            InteractionKind::Message => "消息",
            InteractionKind::Note => "备注",
        }
    }

    fn follow_up_kind(&self, kind: FollowUpKind) -> &'static str {
        match kind {
            FollowUpKind::Parts => "需要配件",
            FollowUpKind::ReturnVisit => "需要再次上门",
        }
    }

    fn record_kind(&self, kind: RecordKind) -> &'static str {
        match kind {
            RecordKind::Organization => "机构",
            RecordKind::Store => "门店",
            RecordKind::User => "用户",
            RecordKind::Technician => "技师",
            RecordKind::Customer => "客户",
            RecordKind::Asset => "资产",
            RecordKind::Job => "工单",
            RecordKind::Lead => "线索",
            RecordKind::Interaction => "沟通记录",
            RecordKind::FollowUp => "跟进",
        }
    }

    fn op_error(&self, error: &OpError) -> String {
        // Replaced by typed refusals (issue 11, item 1): until then the sentences that carry
        // English detail are worded generally.
        match error {
            OpError::NotFound { kind, .. } => {
                format!(
                    "找不到该{}（可能已被删除，或您无权查看）。",
                    self.record_kind(*kind)
                )
            }
            OpError::Forbidden(_) => "您无权进行此操作。".into(),
            OpError::Transition { from, action } => format!(
                "{}的工单不能{}。",
                self.status(from.0),
                self.action(action.0)
            ),
            OpError::Stage { from, to } => {
                format!(
                    "线索不能从“{}”改为“{}”。",
                    self.stage(*from),
                    self.stage(*to)
                )
            }
            OpError::Invalid { .. } => "填写的内容有误，请检查后重试。".into(),
            OpError::Conflict(_) => "此更改与已有数据冲突。".into(),
            OpError::IdTaken { kind } => format!("该{}编号已被占用。", self.record_kind(*kind)),
            OpError::OpIdUsed => "此更改的编号已被另一项更改使用，未做任何修改。".into(),
            OpError::Unavailable(_) => "服务器存储暂时不可用，请稍后重试。".into(),
        }
    }

    fn op_summary(&self, kind: &OpKind) -> String {
        match kind {
            OpKind::CreateCustomer(c) => format!("新客户 {}", c.name),
            OpKind::UpdateCustomer { .. } => "客户资料".into(),
            OpKind::AddAsset(a) => format!("新资产 {}", a.product),
            OpKind::CreateJob(_) => "新建工单".into(),
            OpKind::AssignJob { .. } => "派工".into(),
            OpKind::UnassignJob { .. } => "取消派工".into(),
            OpKind::StartTravel { .. } => "出发".into(),
            OpKind::Arrive { .. } => "到达".into(),
            OpKind::CompleteJob { .. } => "完工".into(),
            OpKind::NeedFollowUp { .. } => "工单待跟进".into(),
            OpKind::CancelJob { .. } => "取消工单".into(),
            OpKind::CreateLead(l) => format!("新线索 {}", l.name),
            OpKind::MoveLead { to, .. } => format!("线索改为“{}”", self.stage(*to)),
            OpKind::LogInteraction(_) => "沟通记录".into(),
            OpKind::CreateFollowUp(_) => "新建跟进".into(),
            OpKind::CompleteFollowUp { .. } => "完成跟进".into(),
            OpKind::SnoozeFollowUp { .. } => "推迟跟进".into(),
            OpKind::RescheduleFollowUp { .. } => "改期跟进".into(),
            OpKind::ReassignFollowUp { .. } => "转交跟进".into(),
            OpKind::MergeCustomers { .. } => "合并客户".into(),
            OpKind::SetUserActive { active: true, .. } => "恢复账号".into(),
            OpKind::SetUserActive { active: false, .. } => "停用账号".into(),
        }
    }

    fn pending_changes(&self, n: u32) -> String {
        format!("{n} 条更改待同步")
    }

    fn not_saved(&self, detail: &str) -> String {
        format!("无法保存在本设备上：{detail}")
    }

    fn server_refused_changes(&self, n: usize) -> String {
        format!("服务器拒绝了 {n} 项更改，原因见下方。")
    }

    fn server_refused(&self, detail: &str) -> String {
        format!("服务器拒绝了请求：{detail}")
    }

    fn others_changes(&self, n: usize) -> String {
        format!("本设备上有 {n} 项未同步的更改属于另一位用户；请先以该用户登录，以免丢失。")
    }

    fn unreadable(&self, what: &[String]) -> String {
        format!(
            "本设备上的部分数据无法读取，将重新获取：{}",
            what.join("；")
        )
    }

    // — technician —

    // — sales —
    fn follow_up_task(&self, rule: Option<Rule>) -> &'static str {
        match rule {
            None => "跟进",
            Some(Rule::FirstContact) => "首次联系",
            Some(Rule::Cadence) => "跟进线索",
            Some(Rule::StaleLead) => "线索停滞：激活或关闭",
            Some(Rule::StaleLeadManager) => "门店有停滞线索",
            Some(Rule::SatisfactionCall) => "满意度回访",
            Some(Rule::LowScoreEscalation) => "升级处理：客户不满意",
            Some(Rule::LowScoreRep) => "客户不满意：回电",
            Some(Rule::Churn) => "流失风险：重新联系",
            Some(Rule::VipCheckIn) => "VIP 问候",
            Some(Rule::Maintenance(_)) => "保养到期：预约上门",
            Some(Rule::Warranty(_)) => "保修即将到期：推荐延保",
            Some(Rule::Birthday) => "生日祝福",
        }
    }

    fn follow_up_why(&self, why: &Why, org: &OrgSettings) -> String {
        match why {
            Why::FirstContact { interest } => {
                format!("新线索：首次联系（{}）", self.interest_name(org, interest))
            }
            Why::Cadence { step, of } => format!("跟进第 {step} 步，共 {of} 步"),
            Why::NoContact { days } => format!("已 {days} 天未联系"),
            Why::JobDone { job } => format!("工单 {job} 完成得如何？"),
            Why::LowScore { job, score } => format!("客户给工单 {job} 打了 {score}/5 分"),
            Why::NoPurchase { since, months } => {
                format!("自 {since} 起未购买或服务（{months} 个月）")
            }
            Why::Vip { spend } => {
                format!("VIP：近 12 个月消费 {}", self.money(*spend, &org.currency))
            }
            Why::ServiceDue {
                product,
                serial,
                due,
            } => format!("{product}（{serial}）：{due} 应保养"),
            Why::WarrantyEnds {
                product,
                serial,
                end,
            } => format!("{product}（{serial}）：保修于 {end} 到期"),
            Why::Birthday { day } => format!("{}生日", day.format("%-m月%-d日")),
        }
    }

    fn interest<'a>(&self, category: &'a InterestCategory) -> &'a str {
        &category.name_zh
    }

    fn money(&self, minor: i64, currency: &str) -> String {
        let sign = match currency {
            "CNY" => "¥",
            "USD" => "US$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "JP¥",
            "HKD" => "HK$",
            _ => "",
        };
        let digits = crate::money::digits(minor, currency);
        let (minus, digits) = match digits.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", digits.as_str()),
        };
        if sign.is_empty() {
            format!("{minus}{currency} {digits}")
        } else {
            format!("{minus}{sign}{digits}")
        }
    }

    fn reminder_title(&self, task: &str, who: Option<&str>) -> String {
        match who {
            Some(who) => format!("{task}：{who}"),
            None => task.to_owned(),
        }
    }

    fn reminder_body(&self, about: &[&str], due: &str) -> String {
        match about.join(" · ") {
            about if about.is_empty() => format!("{due} 到期"),
            about => format!("{about} · {due} 到期"),
        }
    }

    fn move_to(&self, stage: Stage) -> String {
        format!("转到{}", self.stage(stage))
    }

    fn stage_change(&self, from: Stage, to: Stage) -> String {
        format!("{} → {}", self.stage(from), self.stage(to))
    }

    fn pipeline_summary(&self, conversion_days: Option<u32>, on_time_pct: Option<u8>) -> String {
        let days = conversion_days.map_or("—".to_owned(), |n| format!("{n} 天"));
        let on_time = on_time_pct.map_or("—".to_owned(), |p| format!("{p}%"));
        format!("平均成交周期：{days} · 跟进按时完成：{on_time}")
    }

    fn win_rate(&self, source: LeadSource, won: u32, lost: u32, pct: u8) -> String {
        format!(
            "{}：赢单率 {pct}%（赢单 {won}，流失 {lost}）",
            self.lead_source(source)
        )
    }

    fn maintenance_visit(&self, product: &str, serial: &str) -> String {
        format!("例行保养：{product}（{serial}）")
    }

    // — dispatcher —

    // — search and the customer form —
}
