// Rewrites the README's failure-mode table from the MTAs' failover tables (src/core/profiles/*.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { withFailoverTable } from "../dist/report/failover-table.js";

const before = readFileSync("README.md", "utf8");
const after = withFailoverTable(before);
if (after !== before) writeFileSync("README.md", after);
console.log(after === before ? "README.md: failover table up to date" : "README.md: failover table updated");
