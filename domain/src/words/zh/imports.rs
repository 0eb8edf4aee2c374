//! 导入相关的中文：列可导入的字段、行或文件的问题、导入进度。

use crate::import::columns::MappingError;
use crate::import::{Encoding, FileError, Format, Problem, Report, Target};
use crate::lookup::DuplicateReason;
use crate::words::Table;

pub(super) fn target(t: Target) -> &'static str {
    match t {
        Target::CustomerRef => "原系统客户编号",
        Target::Name => "姓名",
        Target::Phone => "电话",
        Target::Address => "地址（整行）",
        Target::Province => "省份",
        Target::City => "城市",
        Target::District => "区县",
        Target::Street => "街道",
        Target::AddressDetail => "楼栋、楼层、房号",
        Target::Latitude => "纬度",
        Target::Longitude => "经度",
        Target::Kind => "客户类型",
        Target::Tier => "会员等级",
        Target::Tags => "标签",
        Target::MarketingConsent => "同意接收营销信息",
        Target::Birthday => "生日",
        Target::Owner => "销售顾问",
        Target::Store => "门店",
        Target::Product => "购买商品",
        Target::Category => "商品类别",
        Target::SerialNumber => "序列号",
        Target::PurchaseDate => "购买日期",
        Target::Price => "实付金额",
        Target::WarrantyEnd => "保修截止",
        Target::LastService => "上次服务",
        Target::ServiceInterval => "服务间隔天数",
    }
}

pub(super) fn problem(t: &super::Zh, p: &Problem) -> String {
    match p {
        Problem::Missing(field) => format!("{}为空；每一行都必须填写。", target(*field)),
        Problem::NotADate(v) => format!("“{v}”不是日期：请写成 2024-03-05。"),
        Problem::AmbiguousDate(v) => {
            format!("“{v}”可解读为两个日期（日在前或月在前）：请写成 2024-03-05。")
        }
        Problem::NotAnAmount(v) => format!("“{v}”不是金额：请使用数字，最多两位小数。"),
        Problem::NotANumber(v) => format!("“{v}”不是整数天数。"),
        Problem::NotYesOrNo(v) => format!("“{v}”既不是“是”也不是“否”。"),
        Problem::UnknownTier(v) => format!("“{v}”不是会员等级：请填写普通、银卡、金卡或钻石。"),
        Problem::UnknownKind(v) => format!("“{v}”不是客户类型：请填写个人、机构或企业。"),
        Problem::NotAPhone(v) => {
            format!("“{v}”不是电话号码：请使用数字，境外号码请加 + 和国家代码。")
        }
        Problem::Formula(v) => format!("单元格中是公式“{v}”而没有值：请保存带计算结果的文件。"),
        Problem::CellError(v) => format!("单元格中是错误值 {v}。"),
        Problem::UnknownStore(v) => format!("没有名为“{v}”的门店。"),
        Problem::UnknownOwner(v) => format!("没有登录名或姓名为“{v}”的在职销售顾问。"),
        Problem::BadPosition => "位置需要纬度（−90 至 90）和经度（−180 至 180）。".into(),
        Problem::CellCount { cells, header } => {
            format!("此行有 {cells} 个单元格，表头有 {header} 个：值中的分隔符可能使列发生了错位。")
        }
        Problem::AssetWithoutProduct => "此行有购买信息但没有填写商品。".into(),
        Problem::Refused(e) => t.op_error(e),
    }
}

pub(super) fn file_error(e: &FileError) -> String {
    match e {
        FileError::TooLarge { bytes, limit } => format!(
            "文件大小为 {} 兆字节；Rounds 最多导入 {} 兆字节的文件。请拆分后依次导入。",
            bytes.div_ceil(1024 * 1024),
            limit / (1024 * 1024)
        ),
        FileError::Empty => "文件为空。".into(),
        FileError::UnknownEncoding => {
            "文件的文字编码既不是 UTF-8 也不是 GBK：请在电子表格中另存为“CSV UTF-8”。".into()
        }
        FileError::UnknownFormat => "这不是 CSV 或 Excel（.xlsx）文件。".into(),
        FileError::OldExcel => {
            "这是旧版 Excel 工作簿（.xls）：请另存为 .xlsx 或 CSV 后重新选择。".into()
        }
        FileError::Unreadable(why) => {
            format!("无法读取该工作簿（{why}）：请用 Excel 打开并重新另存为 .xlsx。")
        }
        FileError::NoRows => "文件只有表头，没有客户。".into(),
        FileError::TooManyRows { rows, limit } => {
            format!("文件有 {rows} 行；Rounds 每次最多导入 {limit} 行。请拆分文件。")
        }
        FileError::TooManyColumns { columns, limit } => {
            format!("文件有 {columns} 列；最多可读取 {limit} 列。请删除不导入的列。")
        }
        FileError::Malformed { line } => {
            format!("CSV 文件在第 {line} 行格式有误（引号未闭合？）。")
        }
    }
}

pub(super) fn mapping_error(e: MappingError) -> String {
    match e {
        MappingError::NoName => "请选择包含客户姓名的列。".into(),
        MappingError::Twice(t) => format!("有两列都导入为{}：请只选择其中一列。", target(t)),
        MappingError::HalfPosition => "请同时选择纬度列和经度列，或都不选。".into(),
        MappingError::Width { mapping, file } => {
            format!("文件有 {file} 列，但选择了 {mapping} 列：请重新选择文件。")
        }
    }
}

pub(super) fn place(row: u32, column: Option<(u32, &str)>) -> String {
    let letters = crate::import::column_letters;
    match column {
        Some((c, header)) if !header.is_empty() => {
            format!("第 {row} 行，{} 列“{header}”", letters(c))
        }
        Some((c, _)) => format!("第 {row} 行，{} 列", letters(c)),
        None => format!("第 {row} 行"),
    }
}

pub(super) fn read(rows: u32, format: Format, encoding: Encoding) -> String {
    let what = match (format, encoding) {
        (Format::Xlsx, _) => "Excel 工作簿",
        (Format::Csv, Encoding::Gb18030) => "GBK 编码的 CSV",
        (Format::Csv, _) => "UTF-8 编码的 CSV",
    };
    format!("{what}，共 {rows} 行")
}

pub(super) fn summary(r: &Report) -> String {
    let mut parts = vec![format!(
        "{} 行中可导入 {} 行：新客户 {} 位，购买记录 {} 条",
        r.rows, r.rows_ok, r.new_customers, r.new_assets
    )];
    if r.merged > 0 {
        parts.push(format!("{} 位并入已有客户", r.merged));
    }
    if r.skipped_duplicates > 0 {
        parts.push(format!("{} 位因已在 Rounds 中而跳过", r.skipped_duplicates));
    }
    if r.already_imported > 0 {
        parts.push(format!("{} 位此前已导入", r.already_imported));
    }
    if !r.problems.is_empty() {
        parts.push(format!(
            "{} 行共 {} 个问题",
            r.problem_rows(),
            r.problems.len()
        ));
    }
    parts.join("；") + "。"
}

pub(super) fn done(r: &Report) -> String {
    let mut parts = vec![format!(
        "已导入：新客户 {} 位，购买记录 {} 条",
        r.new_customers, r.new_assets
    )];
    if r.merged > 0 {
        parts.push(format!("{} 位并入已有客户", r.merged));
    }
    if r.already_imported > 0 {
        parts.push(format!("{} 位此前已导入", r.already_imported));
    }
    if !r.problems.is_empty() {
        parts.push(format!("{} 行未导入", r.problem_rows()));
    }
    parts.join("；") + "。"
}

pub(super) fn progress(done: u32, total: u32) -> String {
    format!("正在导入… 已完成 {done} / {total} 位客户")
}

pub(super) fn duplicate(
    name: &str,
    existing: &str,
    number: &str,
    reason: DuplicateReason,
) -> String {
    let why = match reason {
        DuplicateReason::SamePhone => "电话号码相同",
        DuplicateReason::SimilarNameNearby => "同一地址、姓名相近",
    };
    format!("{name} 与 {existing}（{number}）可能是同一客户：{why}。")
}

pub(super) fn failed(why: &str) -> String {
    format!("导入已中断：{why}。重新开始即可从中断处继续。")
}
