/** Renders Chart.js configurations to PNG with chartjs-node-canvas (Cairo). */
import { createRequire } from "node:module";
import type { ChartConfiguration } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";

// chartjs-node-canvas loads Chart.js's CommonJS build; the annotation plugin's
// ES module build would import a second, separate Chart.js and fail. Loading
// the plugin with require() keeps them on the same instance.
const require = createRequire(import.meta.url);
const annotationPlugin = require("chartjs-plugin-annotation");

export const CHART_WIDTH = 1280;
export const CHART_HEIGHT = 720;

let canvas: ChartJSNodeCanvas | undefined;

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
  return canvas.renderToBuffer(config);
}
