//! The Simplified Chinese table (简体中文).

mod errors;
mod imports;
use chrono::Weekday;

use super::{Label, Lang, Table};
use crate::customers::{CustomerKind, Tier};
use crate::followups::Why;
use crate::followups::rules::Rule;
use crate::jobs::{FollowUpKind, JobAction, JobStatus, Priority, ServiceType};
use crate::leads::{InteractionKind, InterestCategory, LeadSource, Stage};
use crate::ops::{Clash, Denied, Field, OpError, OpKind, Problem, RecordKind};
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
            L::Live => "实时",
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
            L::ServerRestored => {
                "服务器已从备份恢复：本设备正在重新获取全部数据。尚未同步的修改会保留并发送。"
            }
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
            L::CustomerPurchases => "购买记录",
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
            L::Overdue => "已逾期",
            L::Backlog => "积压",
            L::BacklogByUrgency => "最紧急的在前",
            L::BacklogOldest => "等待最久的在前",
            L::BacklogMostValuable => "价值最高的在前",
            L::HandTo => "转交给…",
            L::RepsFollowUps => "销售的跟进",
            L::TypeAWholeNumber => "请输入整数。",
            L::TypeFourNumbers => "请输入四个整数，用逗号分隔。",
            L::NumbersTitle => "经营数据",
            L::NumbersRefresh => "重新计算",
            L::NumbersCsv => "下载表格（逗号分隔）",
            L::NumbersNone => "这几周没有完工、跟进或销售记录。",
            L::NumbersByPerson => "按人员统计（所选各周）",
            L::NumbersPerson => "人员",
            L::NumbersCompleted => "完工数",
            L::AuditTitle => "读写审计记录",
            L::AuditShow => "显示",
            L::AuditMore => "更多记录",
            L::AuditAnyone => "所有人",
            L::AuditAnything => "所有类型",
            L::AuditNone => "没有符合条件的审计记录。",
            L::PrivacyExportJson => "导出其数据（结构化格式）",
            L::PrivacyExportCsv => "导出其数据（表格格式）",
            L::PrivacyErase => "删除其个人信息…",
            L::PrivacyConfirmErase => "永久删除：姓名改为客户编号；工单和购买记录保留",
            L::PrivacyKeep => "保留",
            L::PrivacySave => "保存导出文件",
            L::PrivacyErased => "个人信息已应要求删除",
            L::PurchaseRecord => "记录一笔购买",
            L::PurchaseProduct => "商品",
            L::PurchaseQuantity => "数量",
            L::PurchaseAmount => "实付金额",
            L::PurchaseDate => "销售日期",
            L::PurchaseReceipt => "小票号（如有）",
            L::PurchaseNeedsProduct => "请填写购买的商品。",
            L::PurchaseBadQuantity => "数量须为不小于一的整数。",
            L::PurchaseBadAmount => "请填写实付金额，例如 1280 或 1,280.50。",
            L::PurchaseBadDate => "请填写销售日期，例如 2026-12-08，不能是将来的日期。",
            L::Settings => "设置",
            L::PerDay => "每天",
            L::SettingBacklogAlert => "待派工单超过此数时提醒",
            L::SettingSlaRisk => "距 SLA 截止前多少分钟视为有风险",
            L::SettingFollowUpCapacity => "每天的跟进容量（个人未单独设置时）",
            L::SettingNewLead => "新线索：首次联系时限（工作分钟）",
            L::SettingStaleLead => "停滞线索：多少天无进展后",
            L::SettingSatisfaction => "满意度回访：上门后多少天",
            L::SettingLowScore => "低分：评分不高于此值时升级（1 到 5）",
            L::SettingChurn => "流失风险：客户风险转高时回访",
            L::SettingWinBack => "挽回：回访同意接收营销信息的已流失客户",
            L::SettingNewWithin => "新客户：首次购买在多少天内",
            L::SettingAtRiskAfter => "有流失风险：多少天无购买或上门后",
            L::SettingLapsedAfter => "已流失：多少天无购买或上门后",
            L::SettingRecencyTiers => "最近购买评分 5、4、3、2：多少天内（四个递增值）",
            L::SettingFrequencyTiers => "购买频次评分 2、3、4、5：至少几次（四个递增值）",
            L::SettingSpendTiers => "消费金额评分 2、3、4、5：至少多少元（四个递增值）",
            L::SettingValueWindow => "频次与金额统计最近多少天",
            L::SettingAuditRetention => "读写审计记录保留天数",
            L::SettingVip => "VIP 回访：每隔多少天",
            L::SettingMaintenance => "保养提醒",
            L::SettingWarranty => "保修到期：提前多少天",
            L::SettingBirthday => "生日祝福",
            L::BackOffice => "人员与门店",
            L::ToBoard => "调度台",
            L::People => "人员",
            L::AddPerson => "新增人员",
            L::SignInName => "登录名",
            L::PersonPhone => "电话",
            L::RolesLabel => "角色",
            L::StoresLabel => "门店",
            L::ActiveStatus => "在职",
            L::Deactivated => "已停用",
            L::SetPassword => "设置密码",
            L::NewPassword => "新密码（8 到 200 个字符）",
            L::PasswordSet => "密码已设置，其在其他设备上的登录已失效。",
            L::Deactivate => "停用",
            L::Reactivate => "恢复",
            L::HandOverTitle => "停用并交接其未完成工作",
            L::CustomersTo => "其客户交给",
            L::LeadsTo => "其未结线索交给",
            L::FollowUpsTo => "其未完成跟进交给",
            L::JobsTo => "其未开始工单交给",
            L::StoreKeeps => "门店（无负责人）",
            L::BackToQueue => "退回待派队列",
            L::ChooseSomeone => "请选择",
            L::TechnicianProfile => "技师资料",
            L::SkillsLabel => "技能",
            L::WorkingDays => "工作日",
            L::HoursFrom => "从",
            L::HoursTo => "到",
            L::BreakAt => "休息开始",
            L::BreakMinutes => "休息（分钟）",
            L::HomeBase => "出发地点（纬度，经度）",
            L::MaxJobs => "每日最多工单",
            L::StoreLabel => "门店",
            L::AddStore => "新增门店",
            L::StoreNameLabel => "门店名称",
            L::FieldProvince => "省",
            L::FieldCity => "市",
            L::Position => "地图位置（纬度，经度）",
            L::TimeZone => "时区",
            L::OpeningHoursLabel => "营业时间",
            L::Catalogue => "技能与兴趣类别",
            L::InterestCategories => "兴趣类别",
            L::Code => "代码",
            L::EnglishName => "英文名",
            L::ChineseName => "中文名",
            L::AddOrRename => "新增，或为已有代码改名",
            L::TypeATime => "请按“时:分”输入时间，例如 09:30。",
            L::TypeAPosition => "请输入纬度和经度，例如 31.23 和 121.47。",
            L::TypeATimeZone => "请输入时区，例如 Asia/Shanghai。",
            L::ChooseARole => "请至少选择一个角色。",
            L::PasswordLength => "密码须为 8 到 200 个字符。",
            L::PickOnMap => "在地图上选取客户位置",
            L::ClickMapToPlace => "请在地图上点击客户所在位置。",
            L::PlaceCustomerHere => "把客户定位到我当前的位置",
            L::NotOnMap => "此客户尚无地图位置，其工单无法排程。",
            L::ApproximateOnMap => "地图位置仅为客户所在区县的中心：请确认实际位置。",
            L::FarFromMap => "客户的地图位置离您当前位置较远。",
            L::PositionUnknown => "尚未获得您的位置：请允许 Rounds 使用定位后重试。",
            L::AllStores => "全组织",
            L::StoreOwnRules => "此门店使用自己的跟进规则",
            L::SlaTitle => "按会员等级与服务类型的承诺时限（小时，留空为标准）",
            L::ImportCustomers => "导入客户",
            L::ImportHint => {
                "从其他客户管理系统、收银系统或电子表格导出的 CSV 或 Excel（.xlsx）文件中导入客户及其购买记录。在您看过每一行的导入结果之前，不会写入任何数据。"
            }
            L::ChooseFile => "选择文件",
            L::ReadingFile => "正在读取文件…",
            L::ColumnInFile => "文件中的列",
            L::ImportsAs => "导入为",
            L::NotImported => "（不导入）",
            L::FirstRows => "前几行",
            L::StoreForRows => "未注明门店的行归入",
            L::WhenAlreadyThere => "客户似乎已在 Rounds 中时",
            L::DuplicateMerge => "将购买记录和电话并入该客户",
            L::DuplicateSkip => "不导入",
            L::DuplicateCreate => "作为新客户导入",
            L::CheckRows => "检查所有行",
            L::Checking => "正在检查所有行…",
            L::SkipProblemRows => "导入没有问题的行，跳过有问题的行",
            L::RunImport => "开始导入",
            L::ImportProblems => "问题",
            L::LikelyDuplicates => "已在 Rounds 中？",
            L::ImportAnother => "导入其他文件",
            L::ImportNoProblems => "所有行均可导入。",
            L::MappingChanged => "检查后列的对应已更改：请重新检查后再导入。",
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
            L::NoJobsWaiting => "没有待派工单。",
            L::Technicians => "技师",
            L::Alerts => "提醒",
            L::Map => "地图",
            L::MapWithoutTiles => "无底图：按经纬度绘制位置。",
            L::MapZoomIn => "放大",
            L::MapZoomOut => "缩小",
            L::MapFit => "显示全部",
            L::MapProposedRoutes => "虚线：建议方案的路线。",
            L::Suggest => "推荐",
            L::AssignTechnician => "派工",
            L::Reassign => "改派",
            L::CancelReason => "原因",
            L::PlanTheDay => "规划这一天",
            L::AssignAnyway => "仍然派工",
            L::ShortcutsHint => {
                "快捷键：J / K 下一个、上一个工单 · S 推荐技师 · A 派给首选 · U 撤销"
            }
            L::AnyStore => "全部门店",
            L::AnyService => "全部服务",
            L::AnyPriority => "全部优先级",
            L::AnySkill => "任意技能",
            L::AtRiskOnly => "仅看 SLA 临近",
            L::SortBy => "排序",
            L::SortBySla => "SLA 截止时间",
            L::SortByPriority => "优先级",
            L::SortByService => "服务类型",
            L::SortByStore => "门店",
            L::SortByWaiting => "等待最久",
            L::Undo => "撤销",
            L::WhyAssign => "派给该技师的理由",
            L::SayWhyAssign => "请说明为何由该技师接单。",
            L::KeepAsItWas => "保持不变",
            L::Away => "请假…",
            L::AbsenceFirstDay => "开始日期",
            L::AbsenceLastDay => "结束日期",
            L::RecordAbsence => "记录并重新排班",
            L::BackAtWork => "已返岗",
            L::AbsenceDaysUnread => "请填写请假的开始和结束日期。",
            L::PreviousPage => "上一页",
            L::NextPage => "更多",
            L::PreviousDay => "前一天",
            L::NextDay => "后一天",
            L::BackToToday => "今天",
            L::BoardDate => "显示日期",
            L::NotPossible => "不可选",
            L::PlanChanges => "变更",
            L::Routes => "路线",
            L::LeftUnplaced => "未安排",
            L::MarkDone => "完成",
            L::BreakStop => "休息",
            L::AnotherTechnician => "另一位技师",
            L::NothingMoves => "其他上门不受影响",
            L::AlreadyAssigned => "已派给此技师",
            L::PinnedToOther => "工单保留给已派的技师",
            L::WindowUnreachable => "无法在时间窗内赶到（会让其他上门迟到或超出下班时间）",
            L::OverCapacity => "车辆装不下该工单的货物",
            L::UnplacedNoSkills => "当天上班的技师都没有所需技能",
            L::UnplacedOutsideShift => "时间窗不在任何合格技师的工作时间内",
            L::UnplacedUnreachable => "没有合格技师能在时间窗内赶到",
            L::UnplacedOverMaxJobs => "合格技师当天工单都已满",
            L::UnplacedOverCapacity => "合格技师的车辆都装不下",
            L::UnplacedNoRoom => "单独可以安排，但当天已满：需要挪走别的工单",
            L::UnplacedNoPosition => "服务地址没有地图位置",
            L::UnplacedWaitingForParts => "等待配件",
            L::DispatchNotAllowed => "只有调度员可以排班和获取推荐。",
            L::DispatchStoreMissing => "本设备还没有该门店的资料，请先同步。",
            L::DispatchNoJob => "本设备上没有该工单。",
            L::DispatchNoStore => "您没有负责派工的门店。",
            L::DispatchStale => {
                "方案生成后工单或技师有了变化。这是按当前情况重新生成的方案；再次接受即可执行。"
            }
            L::DispatchDayOver => "按门店时区，那一天已经结束。",
            L::DispatchJobClosed => "该工单已关闭。",
            L::DispatchJobNotOnDay => "该工单的时间窗都在其他日期。",
            L::DispatchJobUnderway => "该工单已在进行中。",
            L::DispatchJobNoPosition => "该工单的服务地址没有地图位置。",
            L::DispatchJobWaitingForParts => "该工单正在等待配件。",
            L::DispatchDayInvalid => "当天的数据无法用于排班，请联系管理员。",
            L::NewJob => "新建工单",
            L::JobCustomer => "客户",
            L::PickCustomer => "请从搜索结果中选择客户。",
            L::JobService => "服务",
            L::JobPriority => "优先级",
            L::JobDescription => "描述",
            L::JobMinutes => "时长（分钟）",
            L::JobCrew => "技师人数",
            L::JobSkills => "所需技能",
            L::JobWindow => "客户时间窗",
            L::WindowDay => "日期",
            L::WindowFrom => "从",
            L::WindowTo => "到",
            L::CreateJob => "创建工单",
            L::MinutesRange => "请以分钟填写上门时长，5 到 1440 之间。",
            L::WindowDayBad => "请按 2026-11-23 的格式填写时间窗的日期。",
            L::WindowStartBad => "请按 09:30 的格式填写时间窗的开始时间。",
            L::WindowEndBad => "请按 17:00 的格式填写时间窗的结束时间。",
            L::WindowOrder => "时间窗的结束须晚于开始。",
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
            // — conflicts —
            L::Conflicts => "冲突",
            L::NoConflicts => "没有需要处理的冲突。",
            L::ConflictExplained => {
                "两人在互不知情的情况下修改了这项内容。记录中保存的是较晚的修改，另一项保留在这里，等您选择。"
            }
            L::ConflictOnRecord => "当前记录",
            L::ConflictSetAside => "已搁置",
            L::ConflictByYou => "您",
            L::ConflictByColleague => "同事",
            L::KeepMine => "保留我的",
            L::KeepTheirs => "保留对方的",
            L::KeepThis => "保留这个",
            L::ConflictUseTyped => "改用此值",
            L::FieldPhoneNumbers => "电话号码",
            L::FieldAddress => "地址",
            L::FieldCustomerKind => "客户类型",
            L::FieldTags => "标签",
            L::FieldMarketingConsent => "营销许可",
            L::FieldBirthday => "生日",
            L::FieldTier => "会员等级",
            L::FieldCustomerOwner => "负责销售",
            L::ConsentGiven => "同意接收营销信息",
            L::ConsentNotGiven => "不接收营销信息",
            // — errors —
        }
    }

    fn holdings(&self, customers: usize, leads: usize, follow_ups: usize, jobs: usize) -> String {
        let parts: Vec<String> = [
            (customers, "位客户"),
            (leads, "条未结线索"),
            (follow_ups, "条未完成跟进"),
            (jobs, "张未开始工单"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "无未完成工作".into()
        } else {
            format!("手上有{}", parts.join("、"))
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
            RecordKind::Conflict => "冲突",
            RecordKind::Purchase => "购买记录",
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
            OpKind::EraseCustomer { .. } => "删除客户个人信息".into(),
            OpKind::RecordPurchase(p) => match p.items.first() {
                Some(i) => format!("购买 {}", i.product),
                None => "购买记录".into(),
            },
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
            OpKind::RecordAbsence { .. } => "请假记录".into(),
            OpKind::CancelAbsence { .. } => "撤销请假".into(),
            OpKind::SetUserActive { active: true, .. } => "恢复账号".into(),
            OpKind::SetUserActive { active: false, .. } => "停用账号".into(),
            OpKind::ResolveConflict { .. } => "处理冲突".into(),
            OpKind::SetFollowUpCapacity { .. } => "每日跟进容量".into(),
            OpKind::UpdateSettings(_) => "设置".into(),
            OpKind::PlaceCustomer { .. } => "客户地图位置".into(),
            OpKind::CreateUser(_) => "新增人员".into(),
            OpKind::UpdateUser { .. } => "人员资料".into(),
            OpKind::DeactivateUser { .. } => "停用并交接".into(),
            OpKind::SaveStore(_) => "门店".into(),
            OpKind::SaveTechnician(_) => "技师资料".into(),
            OpKind::SaveSkill(_) => "技能".into(),
            OpKind::SaveInterest(_) => "兴趣类别".into(),
        }
    }

    fn pending_changes(&self, n: u32) -> String {
        format!("{n} 条更改待同步")
    }

    fn conflicts_waiting(&self, n: u32) -> String {
        format!("{n} 个冲突待处理")
    }

    fn not_saved(&self, detail: &str) -> String {
        format!("无法保存在本设备上：{detail}")
    }

    fn in_conflict(&self) -> String {
        "有冲突：请查看冲突列表".into()
    }

    fn waiting_to_sync(&self) -> String {
        "等待同步".into()
    }

    fn refused_because(&self, reason: &str) -> String {
        format!("服务器未保存：{reason}")
    }

    fn storage_full(&self) -> String {
        "本设备上 Rounds 的存储空间已满。新的更改会保留到应用关闭，并在同步时发送；请清理空间以便保存在设备上。"
            .into()
    }

    fn storage_usage(&self, used_bytes: u64, quota_bytes: u64) -> String {
        format!(
            "本设备存储：已用 {}，共 {}",
            super::megabytes(used_bytes),
            super::megabytes(quota_bytes)
        )
    }

    fn saving_changes(&self, n: u32) -> String {
        format!("正在本设备上保存 {n} 条更改…")
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

    fn clock_off(&self, minutes: i64) -> String {
        let (how, by) = if minutes > 0 {
            ("慢", minutes)
        } else {
            ("快", -minutes)
        };
        let by = if by >= 120 {
            format!("{} 小时", by / 60)
        } else {
            format!("{by} 分钟")
        };
        format!("本设备的时钟{how}了 {by}。更改按服务器时间记录；请将时钟设为自动更新。")
    }

    fn job_moved(&self, job: &str, address: &str) -> String {
        format!("工单 {job} 的地址已更改：请前往 {address}")
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

    fn audit_what(&self, what: &crate::audit::AuditWhat) -> String {
        use crate::audit::AuditWhat as W;
        match what {
            W::Op {
                kind,
                applied: true,
                changed,
                ..
            } => format!("{kind}：已执行（改动 {} 条记录）", changed.len()),
            W::Op { kind, detail, .. } => format!("{kind}：被拒绝（{detail}）"),
            W::UnmaskedRead { keys } => format!("查看了 {} 条记录的完整个人信息", keys.len()),
            W::DeviceSignOut {
                device_id, wiped, ..
            } => {
                if *wiped {
                    format!("已通知设备 {device_id} 清除数据")
                } else {
                    format!("已远程登出设备 {device_id}")
                }
            }
            W::Search {
                query,
                results,
                masked,
            } => format!("搜索“{query}”：{results} 条结果，{masked} 条已遮盖"),
            W::LoginFailed { login, address, .. } => format!(
                "{login} 登录失败{}",
                address
                    .as_ref()
                    .map(|a| format!("（来自 {a}）"))
                    .unwrap_or_default()
            ),
            W::LoginThrottled { login, .. } => format!("{login} 的登录已被限速"),
            W::PasswordSet { .. } => "设置了某人的密码".into(),
            W::SessionsEnded { .. } => "结束了某人的所有会话".into(),
            W::SecondFactorEnrolled => "设置了第二重验证".into(),
            W::RecoveryCodeUsed { left } => format!("用恢复码登录（剩余 {left} 个）"),
            W::Export { format, .. } => format!("导出了客户的数据（{format}）"),
            W::ExportRefused { .. } => "请求导出客户数据被拒绝".into(),
        }
    }

    fn audit_kind(&self, kind: crate::audit::AuditKind) -> &'static str {
        use crate::audit::AuditKind as K;
        match kind {
            K::Op => "数据改动",
            K::UnmaskedRead => "查看个人信息",
            K::Search => "搜索",
            K::Export => "导出",
            K::ExportRefused => "被拒绝的导出",
            K::LoginFailed => "登录失败",
            K::DeviceSignOut => "设备登出",
            K::PasswordSet => "设置密码",
            K::SessionsEnded => "结束会话",
        }
    }

    fn kpi(&self, kpi: crate::kpis::Kpi) -> &'static str {
        use crate::kpis::Kpi as K;
        match kpi {
            K::FirstTimeFix => "首次修复率",
            K::SlaCompliance => "服务时限达成率",
            K::ResponseMinutes => "响应时间（建单到上门，中位数）",
            K::JobsPerDay => "每名技师每天工单数",
            K::TravelShare => "路途与上门时间（路途占比）",
            K::FollowUpsOnTime => "跟进按时完成率",
            K::LeadConversion => "线索转化率",
            K::RepeatPurchase => "复购率",
        }
    }

    fn weeks_back(&self, weeks: u8) -> String {
        format!("最近 {weeks} 周")
    }

    fn days_back(&self, days: u16) -> String {
        format!("最近 {days} 天")
    }

    fn lifecycle(&self, stage: crate::purchases::value::Lifecycle) -> &'static str {
        use crate::purchases::value::Lifecycle as L;
        match stage {
            L::New => "新客户",
            L::Active => "活跃",
            L::AtRisk => "有流失风险",
            L::Lapsed => "已流失",
        }
    }

    fn churn_risk(&self, risk: crate::purchases::value::ChurnRisk) -> &'static str {
        use crate::purchases::value::ChurnRisk as C;
        match risk {
            C::Low => "流失风险：低",
            C::Medium => "流失风险：中",
            C::High => "流失风险：高",
        }
    }

    fn value_summary(
        &self,
        v: &crate::purchases::value::Value,
        window_days: u32,
        currency: &str,
    ) -> String {
        if v.lifetime_purchases == 0 {
            return format!("尚未购买；已 {} 天未光顾", v.days_quiet);
        }
        let mut s = if v.purchases_in_window == 0 {
            format!(
                "近 {window_days} 天未购买（累计 {}）；已 {} 天未光顾",
                self.money(v.lifetime_spend, currency),
                v.days_quiet
            )
        } else {
            format!(
                "近 {window_days} 天购买 {} 次，共 {}；已 {} 天未光顾",
                v.purchases_in_window,
                self.money(v.spend_in_window, currency),
                v.days_quiet
            )
        };
        if let Some(gap) = v.usual_gap_days {
            s.push_str(&format!("，通常每 {gap} 天一次"));
        }
        s
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
            Some(Rule::WinBack) => "已流失：争取挽回",
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
            Why::ChurnRisk {
                since,
                usual_gap_days: Some(gap),
            } => format!("通常每 {gap} 天光顾一次，自 {since} 起再无消费或服务"),
            Why::ChurnRisk {
                since,
                usual_gap_days: None,
            } => format!("有流失风险：自 {since} 起未购买或服务"),
            Why::Lapsed { since } => format!("已流失：自 {since} 起未购买或服务，争取挽回"),
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

    fn distance(&self, metres: i64) -> String {
        format!("{} 公里", super::km(metres))
    }

    fn duration(&self, seconds: i64) -> String {
        match super::whole_minutes(seconds) {
            m if m >= 60 => format!("{} 小时 {} 分钟", m / 60, m % 60),
            m => format!("{m} 分钟"),
        }
    }

    fn weekday(&self, day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "周一",
            Weekday::Tue => "周二",
            Weekday::Wed => "周三",
            Weekday::Thu => "周四",
            Weekday::Fri => "周五",
            Weekday::Sat => "周六",
            Weekday::Sun => "周日",
        }
    }

    fn board_day(&self, date: chrono::NaiveDate, from_today: i64) -> String {
        use chrono::Datelike;
        let day = format!(
            "{}月{}日 {}",
            date.month(),
            date.day(),
            self.weekday(date.weekday())
        );
        match from_today {
            0 => format!("今天 · {day}"),
            1 => format!("明天 · {day}"),
            -1 => format!("昨天 · {day}"),
            _ => day,
        }
    }

    fn page_of(&self, first: usize, last: usize, total: usize) -> String {
        format!("第 {first}–{last} 条，共 {total} 条")
    }

    fn waiting_shown(&self, shown: usize, total: usize) -> String {
        if shown == total {
            format!("{total} 个待派")
        } else {
            format!("{total} 个待派，显示 {shown} 个")
        }
    }

    fn step_place(&self, metres_from_address: Option<i64>) -> String {
        match metres_from_address {
            Some(m) if m <= 200 => "在服务地址".into(),
            Some(m) => format!("距服务地址 {}", self.distance(m)),
            None => "已定位".into(),
        }
    }

    fn assigned_to(&self, job: &str, technician: &str, eta: Option<&str>) -> String {
        match eta {
            Some(at) => format!("{job} 已派给 {technician}，预计 {at} 到达"),
            None => format!("{job} 已派给 {technician}"),
        }
    }

    fn assign_anyway(&self, job: &str, technician: &str) -> String {
        format!("仍将 {job} 派给 {technician}？")
    }

    fn who_should_take(&self, job: &str) -> String {
        format!("谁来接 {job}？")
    }

    fn added_driving(&self, metres: i64, seconds: i64) -> String {
        format!("+{}，+{}", self.distance(metres), self.duration(seconds))
    }

    fn reason_driving(&self, metres: i64, seconds: i64) -> String {
        format!(
            "增加 {} 和 {} 车程",
            self.distance(metres),
            self.duration(seconds)
        )
    }

    fn reason_starts_at(&self, clock: &str) -> String {
        format!("{clock} 可开始")
    }

    fn reason_before_sla(&self, seconds: i64) -> String {
        format!("比服务时限早 {} 完成", self.duration(seconds))
    }

    fn reason_misses_sla(&self, seconds: i64) -> String {
        format!("超出服务时限 {}", self.duration(seconds))
    }

    fn reason_moves(&self, visits: u32, most_seconds: i64) -> String {
        format!(
            "推迟后续 {visits} 个上门，最多 {}",
            self.duration(most_seconds)
        )
    }

    fn reason_brings_forward(&self, visits: u32, most_seconds: i64) -> String {
        format!(
            "后续 {visits} 个上门可提前，最多 {}：届时路况更好",
            self.duration(most_seconds)
        )
    }

    fn away(&self, kind: crate::org::AbsenceKind) -> &'static str {
        use crate::org::AbsenceKind as K;
        match kind {
            K::Sick => "病假",
            K::Leave => "休假",
            K::Training => "培训",
        }
    }

    fn off_that_day(&self, day: Weekday) -> String {
        format!("{}不上班", self.weekday(day))
    }

    fn outside_shift(&self, from: &str, to: &str) -> String {
        format!("工作时间 {from}–{to}，工单时间窗不在其内")
    }

    fn over_max_jobs(&self, max: u32) -> String {
        format!("当天工单已达上限（{max} 个）")
    }

    fn missing_skills(&self, skills: &[&str]) -> String {
        format!("缺少技能：{}", skills.join("、"))
    }

    fn no_suggestion(&self, job: &str, why: &str) -> String {
        format!("无法为 {job} 推荐技师。{why}")
    }

    fn proposed_plan(&self, date: &str) -> String {
        format!("{date} 的排班方案")
    }

    fn plan_driving(&self, metres: i64, now_metres: i64) -> String {
        format!(
            "车程 {}（现为 {}）",
            self.distance(metres),
            self.distance(now_metres)
        )
    }

    fn route_driving(&self, metres: i64, seconds: i64) -> String {
        format!("{}，{}", self.distance(metres), self.duration(seconds))
    }

    fn change_assign(&self, job: &str, to: &str, at: &str) -> String {
        format!("{job} 派给 {to}，{at} 开始")
    }

    fn change_reassign(&self, job: &str, from: &str, to: &str, at: &str) -> String {
        format!("{job} 从 {from} 改派给 {to}，{at} 开始")
    }

    fn change_retime(&self, job: &str, with: &str, from: Option<&str>, to: &str) -> String {
        let from = from.unwrap_or("未定时间");
        format!("{job}（{with}）从 {from} 改到 {to}")
    }

    fn change_keep(&self, job: &str, with: &str, why: &str) -> String {
        format!("{job} 仍由 {with} 负责，但其当天已排不下：{why}")
    }

    fn change_crew(&self, job: &str, crew: &str, at: &str) -> String {
        format!("{job} 改由 {crew} 一同于 {at} 上门")
    }

    fn people(&self, names: &[&str]) -> String {
        names.join("、")
    }

    fn crew_size(&self, size: u8) -> String {
        match size {
            1 => "1 名技师".to_owned(),
            n => format!("{n} 名技师同行"),
        }
    }

    fn crew_needed(&self, size: u8) -> String {
        format!("需 {size} 名技师同时上门")
    }

    fn crew_of(&self, size: u8, people: &str) -> String {
        format!("{size} 人同行：{people}")
    }

    fn unplaced_no_crew(&self, size: u8) -> String {
        format!("需 {size} 名技师同时上门，但没有 {size} 人能同时到场")
    }

    fn backlog_summary(&self, more: usize, capacity: usize) -> String {
        format!("另有 {more} 条跟进超出今日容量（每天 {capacity} 条）：接着处理，或转交同事")
    }

    fn rep_load(&self, due: usize, capacity: usize, backlog: usize) -> String {
        let day = format!("今日 {}/{capacity} 条", due.min(capacity));
        if backlog == 0 {
            day
        } else {
            format!("{day}，另有 {backlog} 条积压")
        }
    }

    fn rep_backlog_summary(&self, name: &str, more: usize, capacity: usize) -> String {
        format!("{name} 有 {more} 条跟进超出今日容量（每天 {capacity} 条）：排序后转交同事")
    }

    fn upcoming_more(&self, more: usize) -> String {
        format!("之后还有 {more} 条")
    }

    fn accept_plan(&self, changes: u32) -> String {
        format!("接受方案（{changes}）")
    }

    fn alert_breached(&self, job: &str) -> String {
        format!("{job} 已超过服务时限")
    }

    fn alert_at_risk(&self, job: &str, minutes_left: i64) -> String {
        format!(
            "{job} 须在 {} 内完成",
            self.duration(minutes_left.saturating_mul(60))
        )
    }

    fn alert_backlog(&self, waiting: usize, threshold: u32) -> String {
        format!("{waiting} 个工单等待派工（超过 {threshold} 个即提醒）")
    }

    fn planned_minutes(&self, minutes: u32) -> String {
        format!("已排 {}", self.duration(i64::from(minutes) * 60))
    }

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

    fn import_target(&self, target: crate::import::Target) -> &'static str {
        imports::target(target)
    }

    fn import_problem(&self, problem: &crate::import::Problem) -> String {
        imports::problem(self, problem)
    }

    fn import_file_error(&self, error: &crate::import::FileError) -> String {
        imports::file_error(error)
    }

    fn import_mapping_error(&self, error: crate::import::columns::MappingError) -> String {
        imports::mapping_error(error)
    }

    fn import_place(&self, row: u32, column: Option<(u32, &str)>) -> String {
        imports::place(row, column)
    }

    fn import_read(
        &self,
        rows: u32,
        format: crate::import::Format,
        encoding: crate::import::Encoding,
    ) -> String {
        imports::read(rows, format, encoding)
    }

    fn import_summary(&self, report: &crate::import::Report) -> String {
        imports::summary(report)
    }

    fn import_done(&self, report: &crate::import::Report) -> String {
        imports::done(report)
    }

    fn import_progress(&self, done: u32, total: u32) -> String {
        imports::progress(done, total)
    }

    fn import_duplicate(
        &self,
        name: &str,
        existing: &str,
        number: &str,
        reason: crate::lookup::DuplicateReason,
    ) -> String {
        imports::duplicate(name, existing, number, reason)
    }

    fn import_failed(&self, why: &str) -> String {
        imports::failed(why)
    }
}
