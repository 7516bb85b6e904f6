/**
 * Scenario text → model, or diagnostics that say where and what to write
 * instead. Pure: the caller reads the file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from "yaml";
import * as z from "zod";
import type { Model } from "../core/model.js";
import { compile, type Issue, type Path } from "./compile.js";
import { describe } from "./duration.js";
import { didYouMean, oneOf } from "./did-you-mean.js";
import { cut, escapeControls, listSome, quote, showPath } from "./quote.js";
import { scenario, type ScenarioInput } from "./schema.js";
import { bareNumberWarnings, modelWarnings, type Warning } from "./warnings.js";
import { t } from "./text.js";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending value, e.g. servers["mx1.example.com"].outages[0].mode ("" for the file itself). */
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; model: Model; input: ScenarioInput; warnings: Diagnostic[] }
  | {
      ok: false;
      /** The first problems, located (at most MAX_LOCATED). */
      diagnostics: Diagnostic[];
      /** How many problems there are in all. */
      total: number;
    };

/** Problems located and worded per file; the rest are only counted (a user reads the first ones and fixes them first). */
export const MAX_LOCATED = 20;

/**
 * One line: `file:line:col: path: message` (warnings: `file:line:col: warning: path: message`).
 * Whatever the file held, the line has no control character: it can neither add a line nor drive the terminal.
 */
export function formatDiagnostic(d: Diagnostic & { warning?: boolean }): string {
  return escapeControls(`${showPath(d.file)}:${d.line}:${d.col}: ${d.warning ? t("cli:scn.warning") : ""}${d.path ? `${d.path}: ` : ""}${d.message}`);
}

/** Limits that keep a hostile file from exhausting memory while it is parsed. */
const MAX_ALIAS_COUNT = 100;

/** The YAML parser's error codes that have a hint (cli:scn.yaml.<code>). */
export const YAML_HINT_CODES = ["DUPLICATE_KEY", "TAB_AS_INDENT", "MULTIPLE_DOCS", "BAD_INDENT", "BLOCK_AS_IMPLICIT_KEY", "MISSING_CHAR", "UNEXPECTED_TOKEN"] as const;
const yamlHint = (code: string): string | undefined =>
  (YAML_HINT_CODES as readonly string[]).includes(code) ? t(`cli:scn.yaml.${code}`) : undefined;

export function loadScenario(text: string, file: string): LoadResult {
  const read = readYaml(text, file);
  if ("diagnostics" in read) return read;
  const { doc, lc } = read;
  const parsed = scenario.safeParse(read.data, { error: errorMessage });
  if (!parsed.success) {
    // An unknown key first: its "did you mean" usually explains the other errors of its mapping.
    // (a stable sort: the rest keep the schema's order)
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
    );
    return failed(issues, (i) => locate(doc, lc, file, toIssue(i)));
  }
  const { model, issues } = compile(parsed.data);
  if (issues.length > 0) return failed(issues, (i) => locate(doc, lc, file, { ...i, atKey: false }));
  const warnings = [...bareNumberWarnings(doc.contents), ...modelWarnings(parsed.data, model)];
  return { ok: true, model, input: parsed.data, warnings: locateWarnings(doc, lc, file, warnings) };
}

type Failure = Extract<LoadResult, { ok: false }>;

/** All the problems counted, the first MAX_LOCATED located. */
function failed<T>(problems: readonly T[], locateOne: (p: T) => Diagnostic): Failure {
  return { ok: false, total: problems.length, diagnostics: problems.slice(0, MAX_LOCATED).map(locateOne) };
}

/** A problem with the file as a whole, at its first line. */
function fileProblem(file: string, message: string): Failure {
  return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: "", message }], total: 1 };
}

/** The text as a YAML document and its data, a mapping; or why it is not one. */
function readYaml(text: string, file: string): Failure | { doc: Document; lc: LineCounter; data: object } {
  if (text.includes("\u0000")) return fileProblem(file, t("cli:scn.notText"));
  if (text.trim() === "") {
    return fileProblem(file, t("cli:scn.empty"));
  }
  const lc = new LineCounter();
  // uniqueKeys is checked below: the parser's own check compares each key with every earlier one (quadratic).
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) return failed(doc.errors, (e) => syntaxError(lc, file, e));
  const duplicates = duplicateKeys(doc.contents);
  if (duplicates.length > 0) {
    return failed(duplicates, ({ key, offset }) => {
      const pos = lc.linePos(offset);
      return {
        file,
        line: pos.line,
        col: pos.col,
        path: "",
        message: t("cli:scn.duplicateKey", { key: quote(key), hint: yamlHint("DUPLICATE_KEY") }),
      };
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return fileProblem(file, t("cli:scn.aliases", { reason: (e as Error).message }));
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return fileProblem(file, t("cli:scn.notMapping", { got: describe(data) }));
  }
  return { doc, lc, data };
}

/** The YAML parser's error codes (cli:scn.yamlWhat.<code>: "" in English, whose words are the parser's own). */
export const YAML_ERROR_CODES = [
  "ALIAS_PROPS", "BAD_ALIAS", "BAD_DIRECTIVE", "BAD_DQ_ESCAPE", "BAD_INDENT", "BAD_PROP_ORDER", "BAD_SCALAR_START",
  "BLOCK_AS_IMPLICIT_KEY", "BLOCK_IN_FLOW", "DUPLICATE_KEY", "IMPOSSIBLE", "KEY_OVER_1024_CHARS", "MISSING_CHAR",
  "MULTILINE_IMPLICIT_KEY", "MULTIPLE_ANCHORS", "MULTIPLE_DOCS", "MULTIPLE_TAGS", "NON_STRING_KEY", "RESOURCE_EXHAUSTION",
  "TAB_AS_INDENT", "TAG_RESOLVE_FAILED", "UNEXPECTED_TOKEN", "BAD_COLLECTION_TYPE",
] as const satisfies readonly YAMLError["code"][];
/** What went wrong in the current language's words, or "" to show the parser's own (English) message. */
const yamlWhat = (code: string): string => ((YAML_ERROR_CODES as readonly string[]).includes(code) ? t(`cli:scn.yamlWhat.${code}`) : "");

/** The parser's error, located, in one short line with a hint when its code has one. */
function syntaxError(lc: LineCounter, file: string, e: YAMLError): Diagnostic {
  const pos = lc.linePos(e.pos[0]);
  // The parser's message can quote the source: keep its first line, escaped and short.
  const first = e.message.split("\n")[0] ?? "";
  const what = /call stack/i.test(first)
    ? t("cli:scn.tooDeep")
    : yamlWhat(e.code) || cut(escapeControls(first), 160);
  const hint = yamlHint(e.code);
  return { file, line: pos.line, col: pos.col, path: "", message: hint ? t("cli:scn.syntaxHint", { what, hint }) : t("cli:scn.syntax", { what }) };
}

/** Warnings located, each once, in the order of the file. */
function locateWarnings(doc: Document, lc: LineCounter, file: string, warnings: Warning[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: (Diagnostic & { offset: number })[] = [];
  for (const w of warnings.slice(0, 10 * MAX_LOCATED)) {
    let d: Diagnostic;
    if (w.node?.range) {
      const pos = lc.linePos(w.node.range[0]);
      d = { file, line: pos.line, col: pos.col, path: formatPath(w.path), message: w.message };
    } else d = locate(doc, lc, file, { path: w.path, message: w.message, atKey: typeof w.path.at(-1) === "string" });
    const key = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...d, offset: d.line * 1e6 + d.col });
  }
  out.sort((a, b) => a.offset - b.offset);
  return out.slice(0, MAX_LOCATED).map(({ offset: _, ...d }) => ({ ...d, warning: true }) as Diagnostic);
}

/**
 * Keys that appear twice in one mapping, in one pass over the document
 * (a set per mapping). Keys compare as text: `1:` and `"1":` are one key
 * once the file is read, so they are reported too.
 */
function duplicateKeys(root: unknown): { key: string; offset: number }[] {
  const out: { key: string; offset: number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const k = String(pair.key.value);
          if (seen.has(k)) out.push({ key: k, offset: (pair.key as Node).range?.[0] ?? 0 });
          seen.add(k);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

interface LocatedIssue extends Issue {
  /** Point at the key of the last path element rather than its value. */
  atKey: boolean;
}

function toIssue(i: z.core.$ZodIssue): LocatedIssue {
  const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (i.code === "unrecognized_keys") {
    // Point at the (first) unknown key itself.
    return { path: [...path, i.keys[0]!], message: i.message, atKey: true };
  }
  return { path, message: i.message, atKey: i.code === "invalid_key" };
}

/** Default messages for issues a schema does not word itself. */
function errorMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const rawKey = iss.path && iss.path.length > 0 ? String(iss.path[iss.path.length - 1]) : "";
  const key = cut(escapeControls(rawKey), 60);
  const meta = iss.inst ? z.globalRegistry.get(iss.inst as z.ZodType) : undefined;
  const example: unknown = (meta?.examples as unknown[] | undefined)?.[0];
  const shown = example !== undefined ? `${key ? `${key}: ` : ""}${inline(example)}` : undefined;
  const eg = shown !== undefined ? t("cli:scn.writeEg", { example: shown }) : "";
  if (iss.input === undefined && iss.code !== "unrecognized_keys") {
    const example = MISSING_EXAMPLES[key];
    const add = example ? t("cli:scn.addEg", { example: `${key}: ${example}` }) : shown !== undefined ? t("cli:scn.addEg", { example: shown }) : "";
    return key ? t("cli:scn.missing", { key, add }) : t("cli:scn.missingValue", { add });
  }
  switch (iss.code) {
    case "invalid_type":
      return t("cli:scn.expected", { what: article(iss.expected), got: describe(iss.input), eg });
    case "invalid_value":
      return t("cli:scn.notAllowed", { value: describe(iss.input), choices: oneOf(iss.values.map((v) => String(v))) });
    case "unrecognized_keys": {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      const known = shape ? Object.keys(shape) : [];
      const first = iss.keys[0]!;
      const others = iss.keys.slice(1);
      const more = others.length > 0 ? t("cli:scn.andKeys", { keys: listSome(others.map((k) => quote(k)), 3).join(", ") }) : "";
      const suggestion = didYouMean(first, known) || (known.length ? t("cli:scn.allowedKeys", { keys: known.join(", ") }) : "");
      return t("cli:scn.unknownKey", { key: quote(first), more, suggestion });
    }
    case "too_small":
      return iss.origin === "array"
        ? t("cli:scn.atLeastItems", { count: Number(iss.minimum), eg })
        : t("cli:scn.tooSmall", { value: describe(iss.input), min: iss.minimum, eg });
    case "too_big":
      return t("cli:scn.tooBig", { value: describe(iss.input), max: iss.maximum, eg });
    case "invalid_key":
      return t("cli:scn.invalidKey", { key: quote(rawKey) });
    case "invalid_union":
      return t("cli:scn.notValid", { value: describe(iss.input), eg });
    default:
      return undefined;
  }
}

/** Examples for required keys, shown when one is missing. */
const MISSING_EXAMPLES: Record<string, string> = {
  name: "article-outage",
  duration: "5d",
  dns: "{ example.com: { mx: [{ preference: 10, host: mx1.example.com }] } }",
  servers: "{ mx1.example.com: { role: mailbox, domains: [example.com] } }",
  senders: "{ hotmail.com: { to: example.com, rate: 20/h } }",
  mx: "[{ preference: 10, host: mx1.example.com }]",
  preference: "10",
  host: "mx1.example.com",
  domains: "[example.com]",
  relay_domains: "[example.com]",
  to: "example.com",
  start: "1d9h",
};

/** What zod expected, in words (cli:scn.type.<name>). */
export const TYPE_NAMES = ["object", "array", "string", "number", "boolean"] as const;
function article(expected: string): string {
  return (TYPE_NAMES as readonly string[]).includes(expected) ? t(`cli:scn.type.${expected}`) : expected;
}

/** A short inline YAML rendering of an example value. */
function inline(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  if (v && typeof v === "object") {
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${inline(x)}`).join(", ")} }`;
  }
  return String(v);
}

function locate(doc: Document, lc: LineCounter, file: string, issue: LocatedIssue): Diagnostic {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  let resolved = 0;
  for (const seg of issue.path) {
    let keyNode: Node | undefined;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as Node;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
      if (next === undefined) break;
    } else break;
    resolved++;
    const last = resolved === issue.path.length;
    const valueRange = (next as Node | null)?.range;
    // Point at the key for unknown keys and bad names, and when the value is empty.
    offset = (last && issue.atKey) || !valueRange ? (keyNode?.range?.[0] ?? offset) : valueRange[0];
    node = next;
  }
  const pos = lc.linePos(offset);
  // A missing key cannot be pointed at: name the mapping it belongs in instead.
  return { file, line: pos.line, col: pos.col, path: formatPath(issue.path.slice(0, resolved)), message: issue.message };
}

export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${quote(seg)}]`;
  }
  return out;
}
