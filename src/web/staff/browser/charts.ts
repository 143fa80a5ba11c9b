import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11); lines also differ in dash. */
export const COLORS = { answer: '#00508c', clarify: '#8a5a00', decline: '#b00020', emergency: '#5b2a86', up: '#1b6e20', down: '#b00020' };

export interface Series {
  label: string;
  data: number[];
  color: string;
  dash?: number[];
}

const charts = new Map<string, Chart>();
const reduceMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Draws (or redraws) a chart on a canvas; the canvas gets a text summary as its accessible name. */
export function drawChart(canvas: HTMLCanvasElement, kind: 'bar' | 'line', labels: string[], series: Series[], summary: string, stacked = false): void {
  canvas.setAttribute('aria-label', summary);
  charts.get(canvas.id)?.destroy();
  const chart = new Chart(canvas, {
    type: kind,
    data: {
      labels,
      datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, borderDash: s.dash, borderWidth: 2, pointRadius: kind === 'line' ? 2 : 0 })),
    },
    options: {
      animation: reduceMotion() ? false : undefined,
      maintainAspectRatio: false,
      responsive: true,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  charts.set(canvas.id, chart);
}
