'use strict';
// The explorer: plain DOM and canvas over the JSON API of /api/v1.
const api = {
  async get(path) { return check(await fetch('/api/v1/' + path)); },
  async post(path, body) {
    return check(await fetch('/api/v1/' + path, { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  }
};
async function check(r) {
  const json = await r.json();
  if (!r.ok) { throw new Error(json.error + (json.field ? ' (' + json.field + ')' : '')); }
  return json;
}
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];
const state = { model: null, image: null, examples: [], labels: [], chosen: 0, second: 1, z: [] };

function paint(canvas, values) {
  const [c, h, w] = state.image;
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) {
      const v = values[(c === 3 ? k : 0) * h * w + i];
      img.data[4 * i + k] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
function thumb(values, cls) {
  const cv = document.createElement('canvas');
  cv.className = 'thumb' + (cls ? ' ' + cls : '');
  paint(cv, values);
  return cv;
}
function labelsFor(n, label) {
  return state.model.classes > 0 ? Array(n).fill(label) : undefined;
}

async function showExamples() {
  const box = document.getElementById('examples');
  box.replaceChildren(...state.examples.map((x, i) => {
    const cls = i === state.chosen ? 'chosen' : i === state.second ? 'second' : '';
    const t = thumb(x, cls);
    t.title = 'example ' + i + (state.labels[i] >= 0 ? ', label ' + state.labels[i] : '');
    t.addEventListener('click', e => {
      if (e.shiftKey) { state.second = i; } else { state.chosen = i; }
      refresh();
    });
    return t;
  }));
}

async function reconstruct(x, label) {
  const r = await api.post('reconstruct', { inputs: [x], labels: labelsFor(1, label) });
  paint(document.getElementById('recon'), r.outputs[0]);
  if (state.model.endpoints.includes('score')) {
    const s = await api.post('score', { inputs: [x], labels: labelsFor(1, label) });
    document.getElementById('score').textContent = s.score + ' score ' + s.scores[0].toFixed(2)
      + (s.flags ? (s.flags[0] ? ' (anomalous)' : ' (normal)') : '');
  }
}

async function decodeCurrent() {
  const label = state.labels[state.chosen];
  const r = await api.post('decode', { z: [state.z], labels: labelsFor(1, Math.max(0, label)) });
  paint(document.getElementById('decoded'), r.outputs[0]);
}

function buildSliders() {
  const box = document.getElementById('sliders');
  box.replaceChildren(...state.z.map((v, j) => {
    const l = document.createElement('label');
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: v - 3, max: v + 3, step: 0.01, value: v });
    input.dataset.dim = j;
    const out = document.createElement('span');
    out.textContent = v.toFixed(2);
    input.addEventListener('input', () => {
      state.z[j] = parseFloat(input.value);
      out.textContent = state.z[j].toFixed(2);
      decodeCurrent().catch(report);
    });
    l.append('z' + j, input, out);
    return l;
  }));
}

async function interpolate() {
  const label = Math.max(0, state.labels[state.chosen]);
  const r = await api.post('interpolate', { from: state.examples[state.chosen],
    to: state.examples[state.second], steps: 10,
    label: state.model.classes > 0 ? label : undefined });
  document.getElementById('interp').replaceChildren(...r.outputs.map(o => thumb(o)));
}

async function sample() {
  const sel = document.getElementById('label');
  const label = state.model.classes > 0 ? parseInt(sel.value, 10) : undefined;
  const seed = Math.floor(Math.random() * 1e9);
  const r = await api.post('sample', { n: 16, seed, label });
  document.getElementById('samples').replaceChildren(...r.outputs.map(o => thumb(o)));
}

async function manifold() {
  const canvas = document.getElementById('manifold');
  const codes = (await api.post('encode', { inputs: state.examples,
    labels: state.model.classes > 0 ? state.labels.map(l => Math.max(0, l)) : undefined })).z;
  const span = Math.max(3, ...codes.flat().map(Math.abs)) * 1.1;
  const cells = 12;
  const grid = [];
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      grid.push([(c + 0.5) / cells * 2 * span - span, span - (r + 0.5) / cells * 2 * span]);
    }
  }
  const dec = await api.post('decode', { z: grid, labels: labelsFor(grid.length, 0) });
  const ctx = canvas.getContext('2d');
  const size = canvas.width / cells;
  const tmp = document.createElement('canvas');
  dec.outputs.forEach((o, i) => {
    paint(tmp, o);
    ctx.drawImage(tmp, (i % cells) * size, Math.floor(i / cells) * size, size, size);
  });
  codes.forEach((z, i) => {
    ctx.fillStyle = COLOURS[Math.max(0, state.labels[i]) % COLOURS.length];
    ctx.beginPath();
    ctx.arc((z[0] + span) / (2 * span) * canvas.width, (span - z[1]) / (2 * span) * canvas.height,
      4, 0, 2 * Math.PI);
    ctx.fill();
  });
  canvas.onclick = e => {
    const rect = canvas.getBoundingClientRect();
    state.z = [(e.clientX - rect.left) / rect.width * 2 * span - span,
      span - (e.clientY - rect.top) / rect.height * 2 * span];
    buildSliders();
    decodeCurrent().catch(report);
  };
  document.getElementById('manifold-box').hidden = false;
}

async function metrics() {
  const m = (await api.get('metrics')).columns;
  const canvas = document.getElementById('metrics');
  const ctx = canvas.getContext('2d');
  const names = Object.keys(m).filter(k => /loss$/.test(k) && m[k].some(v => v !== null));
  const x = m.epoch || m.step || (names.length ? m[names[0]].map((_, i) => i + 1) : []);
  const all = names.flatMap(n => m[n].filter(v => v !== null));
  if (!all.length) { ctx.fillText('no metrics.csv in this run', 20, 20); return; }
  const lo = Math.min(...all), hi = Math.max(...all), xs = Math.max(1, x.length - 1);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '12px sans-serif';
  ctx.fillStyle = '#222';
  ctx.fillText(hi.toFixed(1), 4, 14);
  ctx.fillText(lo.toFixed(1), 4, canvas.height - 24);
  names.forEach((n, k) => {
    ctx.strokeStyle = COLOURS[k % COLOURS.length];
    ctx.beginPath();
    m[n].forEach((v, i) => {
      if (v === null) { return; }
      const px = 50 + i / xs * (canvas.width - 60);
      const py = 10 + (hi === lo ? 0.5 : (hi - v) / (hi - lo)) * (canvas.height - 40);
      if (i === 0) { ctx.moveTo(px, py); } else { ctx.lineTo(px, py); }
    });
    ctx.stroke();
    ctx.fillStyle = COLOURS[k % COLOURS.length];
    ctx.fillText(n, 60 + k * 130, canvas.height - 6);
  });
}

function drawing() {
  const cv = document.getElementById('draw');
  const [, h, w] = state.image;
  cv.width = w; cv.height = h;
  const ctx = cv.getContext('2d');
  const clear = () => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, w, h); };
  clear();
  let down = false;
  const at = e => {
    const r = cv.getBoundingClientRect();
    return [(e.clientX - r.left) / r.width * w, (e.clientY - r.top) / r.height * h];
  };
  cv.addEventListener('mousedown', e => { down = true; dot(at(e)); });
  cv.addEventListener('mousemove', e => { if (down) { dot(at(e)); } });
  window.addEventListener('mouseup', () => {
    if (!down) { return; }
    down = false;
    // the drawing goes to the model as a PNG of its own size, read as training images are
    const sel = document.getElementById('label');
    const label = state.model.classes > 0 ? parseInt(sel.value, 10) : undefined;
    reconstruct(cv.toDataURL('image/png'), label).catch(report);
  });
  function dot([px, py]) {
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(px, py, w / 14, 0, 2 * Math.PI);
    ctx.fill();
  }
  document.getElementById('clear').addEventListener('click', clear);
}

async function refresh() {
  await showExamples();
  const x = state.examples[state.chosen];
  const label = Math.max(0, state.labels[state.chosen]);
  state.z = (await api.post('encode', { inputs: [x], labels: labelsFor(1, label) })).z[0];
  buildSliders();
  await decodeCurrent();
  await reconstruct(x, label);
  await interpolate();
}

function report(e) {
  document.getElementById('model-info').textContent = 'error: ' + e.message;
}

async function main() {
  state.model = await api.get('model');
  const m = state.model;
  document.getElementById('model-info').textContent = m.type + ', input '
    + m.input_shape.join('x') + ', latent ' + m.latent_size
    + (m.classes ? ', ' + m.classes + ' classes' : '');
  const ex = await api.get('examples?n=48');
  state.image = m.image_shape || ex.image || [1, 1, m.input_size];
  state.examples = ex.inputs;
  state.labels = ex.labels;
  if (m.classes > 0) {
    const sel = document.getElementById('label');
    for (let c = 0; c < m.classes; c++) { sel.add(new Option(String(c), String(c))); }
    document.getElementById('label-box').hidden = false;
  }
  if (m.image_shape) {
    drawing();
  } else { // nothing to draw for a table: only the chosen example's reconstruction and score
    document.getElementById('draw').hidden = true;
    document.getElementById('clear').hidden = true;
  }
  document.getElementById('resample').addEventListener('click', () => sample().catch(report));
  await refresh();
  if (m.latent_size === 2) { await manifold(); }
  await sample();
  await metrics();
  document.body.dataset.ready = 'true';
}
main().catch(report);
