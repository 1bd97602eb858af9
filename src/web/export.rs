//! Spreadsheets staff download (a point's register, an event's applications): CSV with a
//! byte-order mark and XLSX, every cell written as text so nothing typed into the portal
//! runs as a formula.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

use crate::error::{AppError, AppResult};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A cell a spreadsheet would run as a formula is written as text (CSV injection).
pub fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

pub fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// A CSV file of these rows under these headings.
pub fn csv(headings: &[String], rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    // A byte-order mark, or Excel reads UTF-8 Chinese as mojibake.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| AppError::Internal(e.into());
    w.write_record(headings).map_err(csv_err)?;
    for row in rows {
        w.write_record(row.iter().cloned().map(defuse)).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// An XLSX workbook of one sheet, built off the async threads.
pub async fn xlsx(sheet_name: String, headings: Vec<String>, rows: Vec<Vec<String>>) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    tokio::task::spawn_blocking(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(&sheet_name)?;
        let bold = Format::new().set_bold();
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                // Strings stay strings: nothing typed at a desk becomes a formula.
                sheet.write_string(r as u32 + 1, c as u16, cell)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
        book.save_to_buffer()
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| AppError::Internal(e.into()))
}
