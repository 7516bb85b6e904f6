/** The one layout of mxsim's terminal tables (cli-table3): a box and a line under the header, no line between rows. */
import Table from "cli-table3";

/** No line between rows (cli-table3 draws one by default). */
const NO_ROW_LINES = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

export interface BoxOptions {
  /** Alignment of each column (cli-table3's default, left, when absent). */
  colAligns?: Table.HorizontalAlignment[];
  /** cli-table3's styles for the header cells (none by default: no colour). */
  headStyle?: string[];
  /** Column widths; text longer than its column is wrapped at word boundaries. */
  colWidths?: (number | null)[];
}

/** An empty table with the header `head`; push rows and call toString(). */
export function boxTable(head: string[], opts: BoxOptions = {}): Table.Table {
  return new Table({
    head,
    style: { head: opts.headStyle ?? [], border: [] },
    chars: NO_ROW_LINES,
    // Given only when set: cli-table3 takes an undefined key over its default.
    ...(opts.colAligns ? { colAligns: opts.colAligns } : {}),
    ...(opts.colWidths ? { colWidths: opts.colWidths, wordWrap: true } : {}),
  });
}
