/**
 * The picture of a CLI benchmark run (bench:cli): per operation, the wall time against the
 * fleet's size, a line per provider, and for `pulumi up` the pace the API's rate limit allows
 * (one request per tenant at the limit's rate; a fixed window lets a burst go faster). Plain SVG written from the results, so that the same results
 * always make the same file, and a test can hold the committed picture to the committed run.
 */
import { providerLabel, type CliFleetOptions, type CliFleetResults, type CliOperation } from "./cliFleet";

const PANELS: { operation: CliOperation; title: string; bound: boolean }[] = [
  { operation: "up: create", title: "pulumi up, creating every tenant", bound: true },
  { operation: "up: rename all", title: "pulumi up, renaming every tenant", bound: true },
  { operation: "preview: one renamed", title: "pulumi preview, one tenant renamed", bound: false },
  { operation: "refresh", title: "pulumi refresh", bound: false },
];
const COLORS = ["#7f7f7f", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"];
const WIDTH = 960;
const MARGIN = { left: 56, top: 40, right: 16, bottom: 40 };
const PANEL = { width: WIDTH / 2 - MARGIN.left - MARGIN.right, height: 250 };

/** Round numbers for an axis from 0 to at least `max`: about five steps of 1, 2 or 5 times a power of ten. */
export function axisTicks(max: number): number[] {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const ticks = [0];
  while (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

const text = (x: number, y: number, content: string, attributes = "") => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes}>${content}</text>`;

export function fleetChart(results: CliFleetResults, options: CliFleetOptions): string {
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const providers = options.providers;
  const rows = Math.ceil(PANELS.length / 2);
  const legendHeight = 28;
  const height = legendHeight + rows * (PANEL.height + MARGIN.top + MARGIN.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  // The legend in one row, each entry as wide as its label (about 6.5 px a character at 12 px).
  let legendX = 16;
  const legend = (label: string, line: string) => {
    parts.push(`<line x1="${legendX}" y1="16" x2="${legendX + 24}" y2="16" ${line}/>`, text(legendX + 30, 20, label));
    legendX += 44 + Math.ceil(label.length * 6.5);
  };
  providers.forEach((provider, index) => legend(providerLabel(provider, options), `stroke="${COLORS[index]}" stroke-width="2.5"`));
  legend(`the rate limit's pace (${options.rateLimitPerMinute}/min)`, `stroke="#000000" stroke-dasharray="4 3"`);
  PANELS.forEach(({ operation, title, bound }, index) => {
    const left = (index % 2) * (WIDTH / 2) + MARGIN.left;
    const top = legendHeight + Math.floor(index / 2) * (PANEL.height + MARGIN.top + MARGIN.bottom) + MARGIN.top;
    const boundSeconds = (size: number) => (size / options.rateLimitPerMinute) * 60;
    const values = providers.flatMap((provider) => sizes.map((size) => results[provider]?.[size]?.[operation]?.wallSeconds ?? 0));
    const yTicks = axisTicks(Math.max(1, ...values, ...(bound ? sizes.map(boundSeconds) : [])));
    const xTicks = axisTicks(sizes[sizes.length - 1]);
    const x = (size: number) => left + (size / xTicks[xTicks.length - 1]) * PANEL.width;
    const y = (seconds: number) => top + PANEL.height - (seconds / yTicks[yTicks.length - 1]) * PANEL.height;
    parts.push(text(left, top - 12, title, ` font-weight="bold"`));
    for (const tick of yTicks) {
      parts.push(`<line x1="${left}" y1="${y(tick).toFixed(1)}" x2="${left + PANEL.width}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`, text(left - 6, y(tick) + 4, `${tick}`, ` text-anchor="end"`));
    }
    for (const tick of xTicks) parts.push(text(x(tick), top + PANEL.height + 16, tick.toLocaleString("en-US"), ` text-anchor="middle"`));
    parts.push(
      `<line x1="${left}" y1="${top + PANEL.height}" x2="${left + PANEL.width}" y2="${top + PANEL.height}" stroke="#000000"/>`,
      text(left + PANEL.width / 2, top + PANEL.height + 32, "tenants in the stack", ` text-anchor="middle"`),
      text(left - 40, top + PANEL.height / 2, "seconds", ` text-anchor="middle" transform="rotate(-90 ${(left - 40).toFixed(1)} ${(top + PANEL.height / 2).toFixed(1)})"`),
    );
    if (bound) {
      const points = [0, ...sizes].map((size) => `${x(size).toFixed(1)},${y(boundSeconds(size)).toFixed(1)}`).join(" ");
      parts.push(`<polyline points="${points}" fill="none" stroke="#000000" stroke-dasharray="4 3"/>`);
    }
    providers.forEach((provider, providerIndex) => {
      const measured = sizes.filter((size) => results[provider]?.[size]?.[operation] !== undefined);
      const points = measured.map((size) => `${x(size).toFixed(1)},${y(results[provider][size][operation]!.wallSeconds).toFixed(1)}`);
      if (points.length === 0) return;
      parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${COLORS[providerIndex]}" stroke-width="2"/>`);
      for (const point of points) {
        const [cx, cy] = point.split(",");
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${COLORS[providerIndex]}"/>`);
      }
    });
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
