//! The Simplified Chinese table (简体中文).

mod errors;

use super::{Label, Lang, Table};
use crate::customers::{CustomerKind, Tier};
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, LeadSource, Stage};
use crate::ops::{Clash, Denied, Field, OpError, OpKind, Problem, RecordKind};
use crate::org::Role;

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
            L::NoJobsToday => "今天没有工单。",
            L::WaitingForPartsOrVisit => "等待配件或再次上门",
            L::CustomerAssets => "设备",
            L::AssetWarranty => "保修",
            L::AssetMaintenanceDue => "保养到期",
            L::LastVisits => "最近上门",
            L::JobHistory => "记录",
            L::CompletionForm => "完工记录",
            L::CompletionNotes => "备注",
            L::PartsUsed => "使用配件",
            L::PartsHint => "每行一个，多于一个时注明数量：毛毡 x2",
            L::CustomerSatisfaction => "客户满意度（1–5）",
            L::FirstVisitFix => "首次上门即修复",
            L::CompleteJob => "确认完工",
            L::FollowUpForm => "需要跟进",
            L::FollowUpReason => "原因",
            L::EnterFollowUpReason => "原因：请写明需要什么配件，或为什么需要再次上门。",
            L::FollowUpReasonTooLong => "原因最多 200 个字，请精简。",
            L::CompletionNotesTooLong => "备注最多 4000 个字，请精简。",
            L::SatisfactionRange => "客户满意度：请选择 1 到 5 分，或“未评价”。",
            // — sales —
            L::BadDateTime => "日期或时间无效。",
            L::NotMaintenance => "此提醒与设备保养无关。",
            L::FollowUps => "跟进",
            // — dispatcher —
            L::WindowBothEnds => "请填写时间窗的开始和结束。",
            L::Unassigned => "待派工",
            // — search and the customer form —
            L::EnterCustomerName => "请输入客户姓名。",
            L::OnlyOwnerEdits => "只有负责该客户的销售或门店经理可以编辑。",
            L::CustomerNotOnDevice => "本设备上没有该客户。",
            L::SearchPlaceholder => "搜索客户：姓名、拼音、电话、地址",
            L::Edit => "编辑",
            L::NewJobForCustomer => "为该客户新建工单",
            L::NothingFound => "没有找到。",
            L::NewCustomer => "新建客户",
            L::CustomerForm => "客户资料",
            L::FieldName => "姓名",
            L::FieldPhones => "电话（多个用逗号分隔）",
            L::FieldDistrict => "区",
            L::FieldStreet => "街道",
            L::FieldDetail => "楼栋、楼层、房间",
            L::PossibleDuplicates => "可能重复的客户",
            L::MergeIntoThis => "合并到此客户",
            L::Merge => "合并",
            L::NotTheSame => "不是同一客户",
            L::MatchName => "姓名",
            L::MatchPhone => "电话",
            L::MatchAddress => "地址",
            L::MatchLead => "线索",
            L::MatchCustomerNumber => "客户编号",
            L::MatchSerialNumber => "序列号",
            L::MatchJobNumber => "工单号",
            L::SamePhone => "电话相同",
            L::SimilarNameNearby => "附近有相似姓名",
            L::Saving => "正在保存…",
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
        errors::op_error(self, error)
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
    fn warranty(&self, status: crate::customers::WarrantyStatus) -> String {
        use crate::customers::WarrantyStatus as W;
        match status {
            W::None => "无保修".into(),
            W::Active { days_left: ..=0 } => "保修期内，今天到期".into(),
            W::Active { days_left } => format!("保修期内，剩余 {days_left} 天"),
            W::Expired => "已过保修期".into(),
        }
    }

    fn satisfaction_choice(&self, score: Option<u8>) -> String {
        match score {
            None => "未评价".into(),
            Some(n @ ..=1) => format!("{n} · 非常不满意"),
            Some(2) => "2 · 不满意".into(),
            Some(3) => "3 · 一般".into(),
            Some(4) => "4 · 满意".into(),
            Some(n) => format!("{n} · 非常满意"),
        }
    }

    fn parts_error(&self, error: &crate::jobs::parts::PartsError) -> String {
        use crate::jobs::parts::{MAX_ITEM_CHARS, MAX_PARTS, MAX_QUANTITY, PartsProblem as P};
        let what = match error.problem {
            P::NoItem => "请在数量前写明配件名称，如“毛毡 x2”。".to_owned(),
            P::Quantity => {
                format!("数量须为 1 到 {MAX_QUANTITY} 之间的整数；请改正，只用一个时可不写数量。")
            }
            P::ItemTooLong => format!("配件名称超过 {MAX_ITEM_CHARS} 个字，请精简。"),
            P::TooMany => {
                format!(
                    "最多 {MAX_PARTS} 行；同一配件用了多个时请写在一行并注明数量，如“毛毡 x2”。"
                )
            }
        };
        format!(
            "{}第 {} 行（“{}”）：{what}",
            self.label(Label::PartsUsed),
            error.line,
            error.excerpt()
        )
    }

    // — sales —

    // — dispatcher —

    // — search and the customer form —

    // — errors —
    fn denied(&self, denied: Denied) -> &'static str {
        errors::denied(denied)
    }

    fn clash(&self, clash: Clash) -> &'static str {
        errors::clash(clash)
    }

    fn field(&self, field: Field) -> String {
        errors::field(field)
    }

    fn invalid(&self, field: Field, problem: &Problem) -> String {
        errors::invalid(field, problem)
    }
}
