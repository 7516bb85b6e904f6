// Rewrites the generated blocks of docs/model.md (settings, failover tables, retry schedules, failure
// modes) from the MTA registry (src/core/profile.ts, src/core/profiles/*.ts) and runs of the simulator.
import { readFileSync, writeFileSync } from "node:fs";
import { withModelDoc } from "../dist/report/model-doc.js";

const before = readFileSync("docs/model.md", "utf8");
const after = withModelDoc(before);
if (after !== before) writeFileSync("docs/model.md", after);
console.log(after === before ? "docs/model.md: generated blocks up to date" : "docs/model.md: generated blocks updated");
