//! The Chinese words of refusals: each says what went wrong by the form's own label, and
//! what to do.

use crate::ops::{AddressPart, Clash, Denied, Field, OpError, Problem};
use crate::words::Table;

pub(super) fn op_error(t: &super::Zh, error: &OpError) -> String {
    match error {
        OpError::NotFound { kind, .. } => format!(
            "找不到该{}（可能已被删除，或您无权查看）。",
            t.record_kind(*kind)
        ),
        OpError::Forbidden(d) => denied(*d).into(),
        OpError::Transition { from, action } => format!(
            "{}的工单不能{}；请同步后查看工单的最新状态。",
            t.status(*from),
            t.action(*action)
        ),
        OpError::Stage { from, to } => {
            format!("线索不能从“{}”改为“{}”。", t.stage(*from), t.stage(*to))
        }
        OpError::Invalid { field, problem } => invalid(*field, problem),
        OpError::Conflict(c) => clash(*c).into(),
        OpError::IdTaken { kind } => {
            format!("该{}编号已被占用，请重试。", t.record_kind(*kind))
        }
        OpError::OpIdUsed => "此更改的编号已被另一项更改使用，未做任何修改。".into(),
        OpError::Unavailable(_) => "服务器暂时无法保存此更改，请稍后重新操作。".into(),
    }
}

pub(super) fn denied(d: Denied) -> &'static str {
    match d {
        Denied::UnknownUser => "本机构中没有这个账号，请重新登录。",
        Denied::AccountDeactivated => "该账号已停用，请联系管理员恢复。",
        Denied::NotYourOp => "更改只能由做出更改的人发送，请以该用户登录后再同步。",
        Denied::NotStaffForCustomers => "只有该门店的员工才能添加或编辑其客户。",
        Denied::OnlyManagerGivesCustomers => {
            "只有门店经理才能把客户交给他人负责；请由自己负责该客户，或联系经理。"
        }
        Denied::OnlyManagerSetsTier => "只有门店经理才能设置客户等级；请保留普通会员等级。",
        Denied::EditOnlyYourCustomers => "您只能编辑自己负责的客户；如需修改，请联系门店经理。",
        Denied::OnlyManagerChangesTierOrOwner => "只有门店经理才能更改客户的等级或负责人。",
        Denied::WorkOnlyForYourCustomers => {
            "您只能为自己负责的客户办理此事；如需办理，请联系门店经理。"
        }
        Denied::OnlyDispatcherOfStore => "只有该工单所属门店的调度员才能派工、取消派工或取消工单。",
        Denied::OnlyAssignedTechnician => "只有被派到此工单的技师才能更新它。",
        Denied::NotStaffForLeads => "只有该门店的员工才能添加其线索。",
        Denied::OnlyManagerGivesLeads => {
            "只有经理才能把线索交给他人；请由自己负责该线索，或联系经理。"
        }
        Denied::NotYourLead => "此线索属于另一位销售；请联系对方或门店经理。",
        Denied::NotStaffForFollowUps => "只有该门店的员工才能安排其跟进。",
        Denied::NotYourFollowUp => "此跟进属于他人；请联系对方或门店经理。",
        Denied::OnlyManagerReassigns => "只有门店调度员、管理员或负责该跟进的销售才能转交。",
        Denied::ManagerOfBothStores => "只有同时管理两位客户所属门店的经理才能合并他们。",
        Denied::OwnAccount => {
            "您不能停用或恢复自己的账号，也不能修改自己的角色或门店；请联系另一位管理员。"
        }
        Denied::OnlyAdminOrTheirDispatcher => {
            "只有管理员，或此人所在全部门店的调度员，才能修改、停用或恢复其账号。"
        }
        Denied::NotPartyToConflict => "只有做出这些修改的人，或该门店的调度员，才能处理此冲突。",
        Denied::OnlyManagerSetsCapacity => {
            "只有管理员或此人所在门店的调度员，才能设置其每日跟进容量。"
        }
        Denied::OnlyAdminChangesSettings => "只有管理员可以修改组织设置。",
        Denied::OnlyAdminGrantsAdmin => "只有管理员可以把他人设为管理员。",
        Denied::OnlyAdminAddsStores => "只有管理员可以新增门店。",
        Denied::OnlyAdminErases => "只有管理员可以删除客户的个人信息。",
    }
}

pub(super) fn clash(c: Clash) -> &'static str {
    match c {
        Clash::CustomerMerged => "此客户已合并到另一条记录，请改为编辑那一条。",
        Clash::KeptCustomerMerged => "要保留的客户本身已合并到另一条记录，请改为合并到那一条。",
        Clash::AlreadyMerged => "此客户已合并到另一条记录，无需再合并。",
        Clash::OpenFollowUpExists => "此事已有一条未完成的跟进，请处理那一条。",
        Clash::SettingsChangedMeanwhile => "其他人刚修改了这些跟进规则：请重新查看后再修改。",
        Clash::FollowUpDone => "此跟进已完成，无需再操作。",
        Clash::RefusedBefore => "此更改之前已被拒绝；请查看记录的当前情况后重新操作。",
        Clash::ConflictResolved => "此冲突已有人处理；请查看记录的当前情况。",
    }
}

fn address_part(part: AddressPart, of: &str) -> String {
    match part {
        AddressPart::Province => format!("{of}的省份"),
        AddressPart::City => format!("{of}的城市"),
        AddressPart::District => format!("{of}的区县"),
        AddressPart::Street => format!("{of}的街道"),
        AddressPart::Detail => format!("{of}的详细地址（楼栋、楼层、房号）"),
        AddressPart::Location => format!("{of}的地图位置"),
    }
}

/// The field as its form labels it ("第1个电话号码"; `i` counts from 0).
pub(super) fn field(f: Field) -> String {
    let n = |i: usize| i.saturating_add(1);
    let fixed = match f {
        Field::OpLocation => "设备位置",
        Field::OpTime => "更改时间",
        Field::CustomerName => "客户姓名",
        Field::Phones => "电话号码",
        Field::Phone(i) => return format!("第{}个电话号码", n(i)),
        Field::Address(p) => return address_part(p, "地址"),
        Field::Tags => "标签",
        Field::Tag(i) => return format!("第{}个标签", n(i)),
        Field::Birthday => "生日",
        Field::CustomerOwner => "客户负责人",
        Field::Product => "产品",
        Field::AssetCategory => "产品类别",
        Field::SerialNumber => "序列号",
        Field::Price => "价格",
        Field::PurchaseDate => "购买日期",
        Field::LastService => "上次服务日期",
        Field::WarrantyEnd => "保修截止日期",
        Field::MaintenanceInterval => "保养周期",
        Field::PurchaseItems => "购买商品",
        Field::PurchaseItem(i) => return format!("第{}件商品", n(i)),
        Field::ItemQuantity(i) => return format!("第{}件商品的数量", n(i)),
        Field::ItemAmount(i) => return format!("第{}件商品的金额", n(i)),
        Field::PurchaseAmount => "实付金额",
        Field::Receipt => "小票号",
        Field::SaleStore => "销售门店",
        Field::JobCustomer => "工单客户",
        Field::JobAsset => "资产",
        Field::Description => "工单描述",
        Field::EstimatedMinutes => "预计时长",
        Field::Windows => "上门时段",
        Field::Window(i) => return format!("第{}个上门时段", n(i)),
        Field::RequiredSkills => "所需技能",
        Field::RequiredSkill(i) => return format!("第{}项所需技能", n(i)),
        Field::ServiceAddress(p) => return address_part(p, "服务地址"),
        Field::Technician => "技师",
        Field::CrewSize => "所需技师人数",
        Field::Crew => "同行技师",
        Field::AbsenceDays => "请假日期",
        Field::FollowUpCapacity => "每日跟进容量",
        Field::BacklogAlertThreshold => "积压提醒阈值",
        Field::SlaRiskMinutes => "服务时限预警时间",
        Field::FollowUpRule => "跟进规则的数值",
        Field::CustomerValue => "客户价值阈值",
        Field::AuditRetention => "审计记录保留天数",
        Field::SlaHours => "承诺时限（小时）",
        Field::UserName => "姓名",
        Field::Login => "登录名",
        Field::UserPhone => "此人的电话",
        Field::Roles => "角色",
        Field::UserStores => "所属门店",
        Field::HandOverCustomers => "客户的接手人",
        Field::HandOverLeads => "未结线索的接手人",
        Field::HandOverFollowUps => "未完成跟进的接手人",
        Field::HandOverJobs => "未开始工单的接手人",
        Field::StoreName => "门店名称",
        Field::StoreLocation => "门店地图位置",
        Field::OpeningHours => "营业时间",
        Field::TechnicianStore => "技师所属门店",
        Field::Skills => "技能",
        Field::HomeBase => "出发地点",
        Field::WorkingHours => "工作时间",
        Field::Breaks => "休息时间",
        Field::MaxJobsPerDay => "每日最多工单数",
        Field::CatalogueCode => "代码",
        Field::NameEn => "英文名称",
        Field::NameZh => "中文名称",
        Field::CancelReason => "取消原因",
        Field::AssignReason => "派给该技师的理由",
        Field::FollowUpNeed => "需要跟进的原因",
        Field::CompletionNotes => "完工备注",
        Field::Parts => "所用配件",
        Field::PartItem(i) => return format!("第{}个配件的名称", n(i)),
        Field::PartQuantity(i) => return format!("第{}个配件的数量", n(i)),
        Field::Photos => "照片",
        Field::Photo(i) => return format!("第{}张照片", n(i)),
        Field::Signature => "签名",
        Field::Satisfaction => "客户满意度评分",
        Field::LeadName => "线索姓名",
        Field::LeadPhone => "线索电话",
        Field::InterestCategory => "意向类别",
        Field::InterestModel => "意向型号",
        Field::Budget => "预算",
        Field::ExpectedValue => "预计金额",
        Field::LeadCustomer => "线索所属客户",
        Field::LeadOwner => "线索负责人",
        Field::LostReason => "线索流失的原因",
        Field::WonValue => "成交金额",
        Field::Outcome => "沟通结果",
        Field::InteractionCustomer => "客户",
        Field::FollowUpNote => "跟进备注",
        Field::FollowUpWhy => "跟进原因",
        Field::FollowUpOwner => "跟进负责人",
        Field::SnoozeUntil => "推迟到的时间",
        Field::MergedCustomer => "要合并掉的客户",
    };
    fixed.into()
}

/// The field's own sentence where it has one, else the check's sentence around its label.
pub(super) fn invalid(f: Field, problem: &Problem) -> String {
    use Field as F;
    use Problem as P;
    let label = field(f);
    let fixed = match (f, problem) {
        (F::LostReason, P::Empty) => "请填写线索流失的原因。",
        (F::CancelReason, P::Empty) => "请说明取消工单的原因。",
        (F::FollowUpNeed, P::Empty) => "请说明工单需要跟进的原因。",
        (F::Signature, P::Empty) => "签名未能保存，请重新签名。",
        (F::Photo(i), P::Empty) => {
            return format!("第{}张照片未能上传，请重新拍摄。", i.saturating_add(1));
        }
        (F::HandOverLeads | F::HandOverFollowUps, P::Missing) => {
            return format!("请选择{label}：离职者手上还有未结事项。");
        }
        (_, P::Empty | P::Missing) => return format!("请填写{label}。"),
        (_, P::TooLong { max }) => return format!("{label}太长，请不超过 {max} 个字。"),
        (_, P::ControlCharacters) => {
            return format!("{label}含有无法显示的字符，请去掉后重新输入。");
        }
        (_, P::NotAPhone) => {
            return format!("{label}不是有效的电话号码：请填写数字，境外号码请加 + 和国家代码。");
        }
        (_, P::DateOutOfRange) => {
            return format!("请将{label}填写为 1900 年以后、不晚于今天的日期。");
        }
        (F::OpLocation, P::BadCoordinates) => "本设备报告的位置不在地图上，请重试，或关闭定位。",
        (_, P::BadCoordinates) => {
            return format!("{label}无效，请在地图上重新选择位置。");
        }
        (_, P::MoneyOutOfRange) => return format!("请将{label}填写为 0 到 100 亿之间的金额。"),
        (_, P::TooMany { max }) => return too_many(f, &label, *max),
        (_, P::UnknownSkill { code }) => {
            return format!("{label}（{}）不在技能目录中，请从列表中选择。", code.0);
        }
        (F::EstimatedMinutes, P::OutOfRange { min, max }) => {
            return format!("请将预计时长填写为 {min} 分钟到 {} 小时之间。", max / 60);
        }
        (F::Satisfaction, P::OutOfRange { min, max }) => {
            return format!("请给出 {min} 到 {max} 分的客户满意度评分。");
        }
        (_, P::OutOfRange { min, max }) => {
            return format!("请将{label}填写为 {min} 到 {max} 之间的数字。");
        }
        (F::MaintenanceInterval, P::TooSmall { min }) => {
            return format!("保养周期至少为 {min} 天。");
        }
        (_, P::TooSmall { min }) => return format!("{label}至少为 {min}。"),
        (F::SnoozeUntil, P::NotInFuture) => "请推迟到将来的某个时间。",
        (_, P::NotInFuture) => return format!("{label}须为将来的时间。"),
        (_, P::AheadOfClock) => "本设备的时钟走快了，请校正日期和时间后重试。",
        (F::CustomerValue, P::EndsBeforeStart) => {
            "客户先有流失风险，后才流失：流失的天数须多于有流失风险的天数。"
        }
        (_, P::NotRising) => return format!("{label}：每个阈值都须高于前一个。"),
        (_, P::EndsBeforeStart) => {
            return format!("{label}的结束时间早于开始时间，请将结束时间设在开始之后。");
        }
        (_, P::BeforePurchase) => {
            return format!("{label}早于购买日期，请填写购买之后的日期。");
        }
        (_, P::Merged) => return format!("{label}已合并到另一条记录，请选择合并后的那条记录。"),
        (_, P::OtherCustomersAsset) => {
            return format!("{label}属于另一位客户，请选择本客户的资产。");
        }
        (_, P::NotTheJobsCustomer) => {
            return format!("{label}不是该工单的客户，请选择工单的客户，或不填。");
        }
        (_, P::NotTheLeadsCustomer) => {
            return format!("{label}不是该线索的客户，请选择线索的客户，或不填。");
        }
        (_, P::OtherStore) => {
            return format!("{label}属于另一家门店，请选择线索所在门店的客户。");
        }
        (_, P::NoSubject) => "请说明这条记录是关于哪位客户、哪条线索或哪张工单的。",
        (_, P::SameCustomer) => "请选择两位不同的客户进行合并。",
        (F::CustomerOwner, P::NotASalesRep) => "请选择本门店在职的销售负责该客户。",
        (F::LeadOwner, P::NotASalesRep) => "请选择本门店的销售负责该线索。",
        (_, P::NotASalesRep) => return format!("{label}须为本门店在职的销售，请另选。"),
        (F::FollowUpOwner, P::NotOfTheStore) => "请选择在本门店工作的人负责该跟进。",
        (_, P::NotOfTheStore) => return format!("{label}须在本门店工作，请另选。"),
        (_, P::NotATechnician) => "请为工单选择一位在职技师。",
        (_, P::TechnicianOfOtherStore) => "请选择本工单所属门店的技师。",
        (_, P::LacksSkillWithoutReason) => "该技师缺少本工单所需的技能：请说明为何仍由其接单。",
        (_, P::CrewShortWithoutReason) => "本工单需要的技师比所选的多：请补上，或说明为何少派。",
        (F::Roles | F::UserStores | F::Skills, P::Repeated) => {
            return format!("{label}中有重复项：每项只填一次。");
        }
        (
            F::HandOverCustomers | F::HandOverLeads | F::HandOverFollowUps | F::HandOverJobs,
            P::Repeated,
        ) => "请选择离职者以外（且不在该工单上）的人接手。",
        (_, P::Repeated) => {
            return format!("{label}中有人重复：每人只选一次。");
        }
        (_, P::LoginTaken) => "已有人使用此登录名：请换一个。",
        (_, P::NotALogin) => {
            "登录名只能由英文字母和数字组成，可用点、连字符、下划线或“@”连接，不能有空格。"
        }
        (_, P::BadHours) => {
            return format!("{label}须在一天之内、周一至周日，且不能重叠。");
        }
        (_, P::NotACode) => "代码只能包含小写字母、数字和连字符，例如 piano-tuning。",
    };
    fixed.into()
}

fn too_many(f: Field, label: &str, max: usize) -> String {
    match f {
        Field::Phones => format!("电话号码最多填写 {max} 个。"),
        Field::Tags => format!("标签最多 {max} 个。"),
        Field::Windows => format!("上门时段最多 {max} 个。"),
        Field::RequiredSkills => format!("所需技能最多 {max} 项。"),
        Field::Parts => format!("配件最多列出 {max} 项。"),
        Field::Crew => format!("同行技师最多选 {max} 位：本工单只需要这么多。"),
        Field::Photos => format!("照片最多 {max} 张。"),
        _ => format!("{label}最多 {max} 项。"),
    }
}
