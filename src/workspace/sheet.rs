//! A CSV file as rows of trimmed text, each with its line number, so that every problem in a
//! cell can name the file, the line and the column.

use crate::problem::{Problem, Problems};
use crate::source::LineIndex;

/// The widest row accepted; a hostile file with a million columns gets an error instead.
pub const MAX_COLUMNS: usize = 4096;

pub struct Row {
    /// 1-based line where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
}

impl Row {
    /// The field in column `i` (blank when the row is short).
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
}

pub struct Sheet<'t> {
    pub name: String,
    index: LineIndex<'t>,
    pub header: Vec<String>,
    pub header_line: usize,
    pub rows: Vec<Row>,
}

impl<'t> Sheet<'t> {
    /// Parse CSV text. Rows whose width differs from the header's are reported and
    /// dropped; rows that are entirely blank (as Excel leaves them) are skipped.
    pub fn parse(name: &str, text: &'t str, problems: &mut Problems) -> Option<Sheet<'t>> {
        let index = LineIndex::new(text);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut header: Option<(usize, Vec<String>)> = None;
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
                    problems.push(
                        Problem::line(name, line, format!("cannot be read as CSV: {e}"))
                            .with_excerpt(index.line(line)),
                    );
                    return None;
                }
            }
            let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
            if record.len() > MAX_COLUMNS {
                problems.push(Problem::line(
                    name,
                    line,
                    format!(
                        "row has {} fields; expected at most {MAX_COLUMNS}",
                        record.len()
                    ),
                ));
                return None;
            }
            if record.iter().all(str::is_empty) {
                continue;
            }
            let fields: Vec<String> = record.iter().map(str::to_string).collect();
            match &header {
                None => header = Some((line, fields)),
                Some((_, h)) => {
                    if fields.len() != h.len() {
                        problems.push(
                            Problem::line(
                                name,
                                line,
                                format!(
                                    "row has {} fields; expected {} as in the header",
                                    fields.len(),
                                    h.len()
                                ),
                            )
                            .with_excerpt(index.line(line)),
                        );
                        continue;
                    }
                    rows.push(Row { line, fields });
                }
            }
        }
        let Some((header_line, header)) = header else {
            problems.push(Problem::file(name, "file is empty; expected a header row"));
            return None;
        };
        Some(Sheet {
            name: name.to_string(),
            index,
            header,
            header_line,
            rows,
        })
    }

    /// A problem in one cell of a row.
    pub fn cell(&self, row: &Row, col: usize, msg: String) -> Problem {
        let field = self.header.get(col).cloned().unwrap_or_default();
        Problem::cell(&self.name, row.line, col + 1, field, msg)
            .with_excerpt(self.index.line(row.line))
    }

    /// A problem with a whole row.
    pub fn row(&self, row: &Row, msg: String) -> Problem {
        Problem::line(&self.name, row.line, msg).with_excerpt(self.index.line(row.line))
    }

    /// A problem in a header cell.
    pub fn header_cell(&self, col: usize, msg: String) -> Problem {
        let field = self.header.get(col).cloned().unwrap_or_default();
        Problem::cell(&self.name, self.header_line, col + 1, field, msg)
            .with_excerpt(self.index.line(self.header_line))
    }

    /// Map a fixed set of columns: every `required` one must be there, `optional` ones may
    /// be, anything else is an unknown column. Returns the index of each, in the order asked.
    pub fn columns(
        &self,
        required: &[&str],
        optional: &[&str],
        problems: &mut Problems,
    ) -> Option<Vec<Option<usize>>> {
        let before = problems.len();
        let all: Vec<&str> = required.iter().chain(optional).copied().collect();
        let mut found = vec![None; all.len()];
        for (col, h) in self.header.iter().enumerate() {
            match all.iter().position(|a| a == h) {
                Some(k) => match found.get_mut(k) {
                    Some(slot @ None) => *slot = Some(col),
                    _ => {
                        problems.push(self.header_cell(col, format!("column `{h}` appears twice")))
                    }
                },
                None => problems.push(self.header_cell(
                    col,
                    format!("unknown column `{h}`; expected: {}", all.join(", ")),
                )),
            }
        }
        for (k, r) in required.iter().enumerate() {
            if found.get(k).copied().flatten().is_none() {
                problems.push(
                    Problem::line(
                        &self.name,
                        self.header_line,
                        format!(
                            "missing column `{r}`; the header must have: {}",
                            required.join(", ")
                        ),
                    )
                    .with_excerpt(self.index.line(self.header_line)),
                );
            }
        }
        (problems.len() == before).then_some(found)
    }
}
