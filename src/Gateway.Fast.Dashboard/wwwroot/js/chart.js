// Time-series charts on uPlot (vendored under vendor/uplot): small, fast and canvas-based, so a week of minute
// buckets draws in a few milliseconds. Each chart gets a text label for screen readers; the numbers themselves are in
// the KPI cards and the breakdown table.
const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4b5563'];

/**
 * Draws one chart into a new figure and returns it.
 * @param {string} title
 * @param {number[]} xs bucket starts, unix seconds
 * @param {{label: string, values: (number|null)[]}[]} series
 * @param {(v: number) => string} format value format for the legend
 * @param {(v: number) => string} [axisFormat] a shorter one for the axis ticks
 */
export function lineChart(title, xs, series, format, axisFormat = format) {
  const figure = document.createElement('figure');
  figure.className = 'chart card';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  const plot = document.createElement('div');
  plot.setAttribute('role', 'img');
  plot.setAttribute('aria-label', `${title}: ${series.map(s => `${s.label} total ${format(sum(s.values))}`).join(', ')}`);
  figure.append(caption, plot);
  const draw = () => {
    const width = Math.max(280, figure.clientWidth - 24);
    // eslint-disable-next-line no-undef
    const chart = new uPlot({
      width, height: 180,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [{ stroke: '#374151' }, { stroke: '#374151', size: 70, values: (_, ticks) => ticks.map(axisFormat) }],
      series: [{}, ...series.map((s, i) => ({
        label: s.label, stroke: palette[i % palette.length], width: 2, value: (_, v) => v === null ? '–' : format(v),
        points: { show: xs.length < 40 },
      }))],
    }, [xs, ...series.map(s => s.values)], plot);
    return chart;
  };
  // Drawn once the figure is in the page and has a width.
  requestAnimationFrame(() => { figure.chart = draw(); });
  return figure;
}

const sum = values => values.reduce((a, v) => a + (v ?? 0), 0);
