/** Renders Chart.js configurations to PNG with chartjs-node-canvas (Cairo). */
import { createRequire } from "node:module";
import type { ChartConfiguration } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { crc32 } from "node:zlib";
import { lang } from "../i18n/index.js";
import { readRegularHead } from "./read-file.js";

// chartjs-node-canvas loads Chart.js's CommonJS build; the annotation plugin's
// ES module build would import a second, separate Chart.js and fail. Loading
// the plugin with require() keeps them on the same instance.
const require = createRequire(import.meta.url);
const annotationPlugin = require("chartjs-plugin-annotation");

export const CHART_WIDTH = 1280;
export const CHART_HEIGHT = 720;

let canvas: ChartJSNodeCanvas | undefined;

const TICK_LOCALE = { en: "en-US", es: "es-ES" } as const;

export async function renderPng(config: ChartConfiguration): Promise<Buffer> {
  canvas ??= new ChartJSNodeCanvas({
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    backgroundColour: "white",
    chartCallback: (ChartJS) => {
      ChartJS.register(annotationPlugin);
      // Large enough to read from the back of a classroom.
      ChartJS.defaults.font.size = 16;
      ChartJS.defaults.color = "#222";
      // Tick labels are formatted with Intl.NumberFormat: without a fixed locale they follow LANG
      // (Arabic and Persian digits, German decimal commas), and the same run would draw other bytes.
      ChartJS.defaults.locale = "en-US";
    },
  });
  // Numbers on the axes in the chosen language ("1,000" / "1000", "10.000"), never the machine's.
  const options = { ...config.options, locale: config.options?.locale ?? TICK_LOCALE[lang()] };
  return tagPng(await canvas.renderToBuffer({ ...config, options } as ChartConfiguration));
}

/** The tEXt chunk every mxsim PNG carries (PNG spec §11.3.4.3: keyword "Software"), so mxsim can tell its own files. */
const SOFTWARE = Buffer.from("Software\0mxsim", "latin1");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** `png` with the Software tEXt chunk right after its IHDR chunk. */
export function tagPng(png: Buffer): Buffer {
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk("tEXt", SOFTWARE), png.subarray(ihdrEnd)]);
}

/** True when `path` is a PNG that mxsim wrote (it carries mxsim's Software chunk). */
export function isMxsimPng(path: string): boolean {
  try {
    const head = readRegularHead(path, 128);
    if (head.length < 64 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
    const ihdrEnd = 8 + 8 + head.readUInt32BE(8) + 4;
    return head.subarray(ihdrEnd + 8, ihdrEnd + 8 + SOFTWARE.length).equals(SOFTWARE) && head.toString("latin1", ihdrEnd + 4, ihdrEnd + 8) === "tEXt";
  } catch {
    return false;
  }
}
