// The review console (docs/review.md): sign in, the queue of narratives waiting for review, one narrative with its
// masks and suspect words, approve (with masks added or automatic masks taken out with a reason), publish, sign out.
// Plain DOM, no framework; every control is a native, labelled element; English and Spanish.
const strings = {
  en: {
    title: 'Review before publication', language: 'Language', signIn: 'Sign in', signOut: 'Sign out',
    yourName: 'Your name (the audit log records it)', adminKey: 'Admin key', queue: 'Narratives waiting for review',
    queueEmpty: 'Nothing is waiting for review.', original: 'Original (reviewers only)', published: 'As it will be published',
    flags: 'Words the scrubber still finds suspect', masks: 'Automatic masks', addMask: 'Add a mask',
    addWords: 'Words to mask (every occurrence)', kind: 'Kind', add: 'Add', approve: 'Approve for publication',
    back: 'Back to the queue', changed: 'This narrative changed since it was last approved.',
    signedInAs: n => `Signed in as ${n}`, caseTitle: (s, c) => `Case ${c} (${s})`,
    entry: e => `${e.caseNumber} (${e.source})${e.received ? ', received ' + e.received : ''}: ${e.masks} masks, ${e.flags} suspect words${e.changedSinceApproval ? ', changed since approved' : ''}`,
    maskFlag: w => `Mask “${w}”`, takeOut: (w, k) => `Take out the ${k} mask over “${w}”`, reason: 'Reason (required, audited)',
    approved: 'Approved. Publish the source to release it.', publish: s => `Publish the approved narratives of ${s} now`,
    publishing: s => `A new release of ${s} is being built with the approvals.`, notFound: w => `“${w}” does not occur in the original.`,
    signedOut: 'Signed out.', needReason: 'State a reason for every automatic mask you take out.', remove: w => `Remove the added mask over “${w}”`,
    signInOrg: 'Sign in with your organisation account', switchAccount: 'Sign out, to sign in with another account',
    risk: { unknownCapitalisedWord: 'looks like a name', initialsLike: 'looks like initials', numberLike: 'looks like a number or ID' },
    toMerges: 'Skip to the officers that may be one person', merges: 'Officers that may be one person', mergesEmpty: 'No officer identity waits for a decision.', evidence: 'Evidence, side by side',
    decision: 'Your decision', same: 'The same person: merge them', different: 'Different people: keep them apart',
    note: 'Note (optional, audited: e.g. the personnel record you checked)', decide: 'Save the decision', chooseDecision: 'Choose same or different.',
    decided: 'Decided. The officer search shows it within minutes.', mergeEntry: m => `${m.officers.map(o => `${o.name} (${o.source}, ${o.complaints} complaints)`).join(' · ')}`,
    mergeTitle: n => `${n} officers that may be one person`,
    rows: { source: 'Source', name: 'Name as published', badges: 'Badges', employeeId: 'Employee id', unit: 'Unit', rank: 'Rank', years: 'Complaint years', complaints: 'Complaints', hireDate: 'Hire date' },
  },
  es: {
    title: 'Revisión antes de publicar', language: 'Idioma', signIn: 'Iniciar sesión', signOut: 'Cerrar sesión',
    yourName: 'Su nombre (queda en el registro de auditoría)', adminKey: 'Clave de administración', queue: 'Narrativas pendientes de revisión',
    queueEmpty: 'No hay nada pendiente de revisión.', original: 'Original (solo revisores)', published: 'Como se publicará',
    flags: 'Palabras que el depurador aún considera sospechosas', masks: 'Máscaras automáticas', addMask: 'Añadir una máscara',
    addWords: 'Palabras a ocultar (cada aparición)', kind: 'Tipo', add: 'Añadir', approve: 'Aprobar para publicación',
    back: 'Volver a la lista', changed: 'Esta narrativa cambió desde su última aprobación.',
    signedInAs: n => `Sesión iniciada como ${n}`, caseTitle: (s, c) => `Caso ${c} (${s})`,
    entry: e => `${e.caseNumber} (${e.source})${e.received ? ', recibido el ' + e.received : ''}: ${e.masks} máscaras, ${e.flags} palabras sospechosas${e.changedSinceApproval ? ', cambió desde su aprobación' : ''}`,
    maskFlag: w => `Ocultar «${w}»`, takeOut: (w, k) => `Quitar la máscara ${k} sobre «${w}»`, reason: 'Motivo (obligatorio, auditado)',
    approved: 'Aprobada. Publique la fuente para difundirla.', publish: s => `Publicar ahora las narrativas aprobadas de ${s}`,
    publishing: s => `Se está generando una nueva versión de ${s} con las aprobaciones.`, notFound: w => `«${w}» no aparece en el original.`,
    signedOut: 'Sesión cerrada.', needReason: 'Indique un motivo para cada máscara automática que quite.', remove: w => `Eliminar la máscara añadida sobre «${w}»`,
    signInOrg: 'Iniciar sesión con la cuenta de su organización', switchAccount: 'Cerrar sesión, para entrar con otra cuenta',
    risk: { unknownCapitalisedWord: 'parece un nombre', initialsLike: 'parecen iniciales', numberLike: 'parece un número o identificador' },
    toMerges: 'Ir a los agentes que podrían ser la misma persona', merges: 'Agentes que podrían ser la misma persona', mergesEmpty: 'Ninguna identidad de agente espera una decisión.', evidence: 'Pruebas, lado a lado',
    decision: 'Su decisión', same: 'La misma persona: unirlos', different: 'Personas distintas: mantenerlos separados',
    note: 'Nota (opcional, auditada: p. ej. el expediente de personal consultado)', decide: 'Guardar la decisión', chooseDecision: 'Elija misma persona o personas distintas.',
    decided: 'Decidido. La búsqueda de agentes lo mostrará en unos minutos.', mergeEntry: m => `${m.officers.map(o => `${o.name} (${o.source}, ${o.complaints} quejas)`).join(' · ')}`,
    mergeTitle: n => `${n} agentes que podrían ser la misma persona`,
    rows: { source: 'Fuente', name: 'Nombre publicado', badges: 'Placas', employeeId: 'Número de empleado', unit: 'Unidad', rank: 'Rango', years: 'Años de quejas', complaints: 'Quejas', hireDate: 'Fecha de contratación' },
  },
};
const placeholders = { name: '[NAME]', initials: '[INITIALS]', demographic: '[DEMOGRAPHIC]', address: '[ADDRESS]', phone: '[PHONE]', email: '[EMAIL]', ssn: '[SSN]', dateOfBirth: '[DOB]', licensePlate: '[PLATE]', caseLabel: '[PARTY]', otherId: '[ID]' };
const $ = id => document.getElementById(id);
let lang = (navigator.language || 'en').startsWith('es') ? 'es' : 'en';
let session = null;
let item = null;
let added = [];
let merges = null;
let merge = null;
const t = () => strings[lang];

function say(text) { $('status').textContent = text; }

function translate() {
  document.documentElement.lang = lang;
  $('lang').value = lang;
  for (const el of document.querySelectorAll('[data-t]')) { el.textContent = t()[el.dataset.t]; }
  document.title = 'OpenConduct: ' + t().title;
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
  if (session && options.method && options.method !== 'GET') { headers[session.csrfHeader] = session.csrfToken; }
  const response = await fetch('api/' + path, { credentials: 'same-origin', ...options, headers });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && path !== 'session') { session = null; signIn(body); }
  if (!response.ok) { throw Object.assign(new Error(body?.detail || `${response.status}`), { problem: body }); }
  return body;
}

function show(section) {
  for (const id of ['signin', 'queue', 'item', 'merge']) { $(id).hidden = id !== section; }
  $('signout').hidden = !session;
  $('who').hidden = !session;
  if (session) { $('who').textContent = t().signedInAs(session.reviewer); }
}

async function start() {
  translate();
  try { session = await api('session'); await openQueue(); } catch (e) { signIn(e.problem); }
}

// Where to sign in: the console's own form (the standalone server's key), or, when the host's identity provider signs
// reviewers in (Azure: Entra ID), the link it gives, or a link to sign out and sign in with another account.
function signIn(problem) {
  show('signin');
  const external = problem?.signIn || problem?.signOut;
  $('signin-form').hidden = !!external;
  $('signin-external').hidden = !external;
  if (!external) { $('name').focus(); return; }
  const link = $('signin-link');
  link.href = problem.signIn || problem.signOut;
  link.dataset.t = problem.signIn ? 'signInOrg' : 'switchAccount';
  link.textContent = t()[link.dataset.t];
  say(problem.signIn ? '' : problem.detail || '');
  link.focus();
}

async function openQueue(focusCase) {
  const entries = await api('narratives');
  const list = $('items');
  list.replaceChildren();
  for (const entry of entries) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = t().entry(entry);
    button.dataset.case = entry.caseNumber;
    button.addEventListener('click', () => openItem(entry.source, entry.caseNumber));
    li.append(button);
    list.append(li);
  }
  $('queue-empty').hidden = entries.length > 0;
  const publish = $('publish');
  publish.replaceChildren();
  for (const source of session.sources || []) { publish.append(publishButton(source)); }
  await listMerges();
  show('queue');
  const target = focusCase && document.querySelector(`#queue [data-case="${CSS.escape(focusCase)}"]`);
  (target || $('queue-h')).focus();
}

function publishButton(source) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = t().publish(source);
  button.addEventListener('click', async () => {
    try { await api('publish/' + encodeURIComponent(source), { method: 'POST' }); say(t().publishing(source)); } catch (e) { say(e.message); }
  });
  return button;
}

async function openItem(source, caseNumber) {
  item = await api(`narratives/${encodeURIComponent(source)}/${encodeURIComponent(caseNumber)}`);
  added = [];
  $('item-h').textContent = t().caseTitle(item.source, item.caseNumber);
  $('item-changed').hidden = !item.changedSinceApproval;
  renderFlags();
  renderMasks();
  render();
  show('item');
  $('item-h').focus();
}

const word = m => item.original.substr(m.start, m.length);

function renderFlags() {
  const list = $('flags');
  list.replaceChildren();
  $('flags-set').hidden = item.flags.length === 0;
  item.flags.forEach((flag, i) => {
    const li = document.createElement('li');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', id: `flag-${i}` });
    box.addEventListener('change', () => {
      added = added.filter(m => !(m.flag === i));
      if (box.checked) { added.push({ start: flag.start, length: flag.length, kind: flag.risk === 'initialsLike' ? 'initials' : flag.risk === 'numberLike' ? 'otherId' : 'name', flag: i }); }
      render();
    });
    const label = Object.assign(document.createElement('label'), { htmlFor: box.id, textContent: `${t().maskFlag(word(flag))} (${t().risk[flag.risk] || flag.risk})` });
    li.append(box, ' ', label);
    list.append(li);
  });
}

function renderMasks() {
  const list = $('masks');
  list.replaceChildren();
  item.masks.forEach((mask, i) => {
    const li = document.createElement('li');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', id: `mask-${i}` });
    const label = Object.assign(document.createElement('label'), { htmlFor: box.id, textContent: t().takeOut(word(mask), placeholders[mask.kind]) });
    const reason = Object.assign(document.createElement('input'), { id: `reason-${i}`, hidden: true });
    const reasonLabel = Object.assign(document.createElement('label'), { htmlFor: reason.id, textContent: t().reason, hidden: true });
    box.addEventListener('change', () => { reason.hidden = reasonLabel.hidden = !box.checked; if (box.checked) { reason.focus(); } render(); });
    li.append(box, ' ', label, ' ', reasonLabel, ' ', reason);
    list.append(li);
  });
}

function removed() {
  return item.masks.map((m, i) => ({ ...m, checked: $(`mask-${i}`)?.checked, reason: $(`reason-${i}`)?.value.trim() }))
    .filter(m => m.checked).map(({ start, length, kind, reason }) => ({ start, length, kind, reason }));
}

function finalMasks() {
  const out = removed();
  const kept = item.masks.filter(m => !out.some(r => r.start === m.start && r.length === m.length)).map(m => ({ ...m, added: false }));
  const all = [...kept, ...added.map(m => ({ ...m, added: true }))].sort((a, b) => a.start - b.start);
  const merged = [];
  for (const m of all) {
    const last = merged[merged.length - 1];
    if (last && m.start < last.start + last.length) {
      const end = Math.max(last.start + last.length, m.start + m.length);
      merged[merged.length - 1] = { start: last.start, length: end - last.start, kind: last.added || !m.added ? last.kind : m.kind, added: last.added || m.added };
    } else { merged.push(m); }
  }
  return merged;
}

function highlight(container, text, marks) {
  container.replaceChildren();
  let at = 0;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start < at) { continue; }
    container.append(text.slice(at, m.start));
    const mark = document.createElement('mark');
    mark.className = m.cls;
    mark.textContent = m.text ?? text.substr(m.start, m.length);
    if (m.title) { mark.title = m.title; }
    container.append(mark);
    at = m.start + m.length;
  }
  container.append(text.slice(at));
}

function render() {
  const out = removed();
  const marks = [
    ...item.masks.map(m => ({ ...m, cls: out.some(r => r.start === m.start) ? 'mask removed' : 'mask', title: placeholders[m.kind] })),
    ...added.map(m => ({ ...m, cls: 'added', title: placeholders[m.kind] })),
    ...item.flags.filter(f => !added.some(a => a.start === f.start)).map(f => ({ ...f, cls: 'flag', title: t().risk[f.risk] })),
  ];
  highlight($('original'), item.original, marks);
  highlight($('scrubbed'), item.original, finalMasks().map(m => ({ ...m, cls: m.added ? 'added' : 'mask', text: placeholders[m.kind] })));
  const list = $('added');
  list.replaceChildren();
  added.filter(m => m.flag === undefined).forEach(m => {
    const li = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t().remove(word(m)) });
    button.addEventListener('click', () => { added = added.filter(a => a !== m); render(); $('add-words').focus(); });
    li.append(button);
    list.append(li);
  });
}

$('add').addEventListener('click', () => {
  const words = $('add-words').value.trim();
  if (!words) { return; }
  let found = 0;
  for (let at = item.original.indexOf(words); at >= 0; at = item.original.indexOf(words, at + words.length)) {
    added.push({ start: at, length: words.length, kind: $('add-kind').value });
    found++;
  }
  say(found ? '' : t().notFound(words));
  $('add-words').value = '';
  render();
});

$('approve').addEventListener('click', async () => {
  const out = removed();
  if (out.some(r => !r.reason)) { say(t().needReason); return; }
  say('');
  try {
    await api(`narratives/${encodeURIComponent(item.source)}/${encodeURIComponent(item.caseNumber)}/approval`, {
      method: 'POST',
      body: JSON.stringify({ originalSha256: item.originalSha256, automaticSha256: item.automaticSha256, added: added.map(({ start, length, kind }) => ({ start, length, kind })), removed: out }),
    });
    await openQueue();
    say(t().approved);
  } catch (e) { say(e.message); }
});

$('back').addEventListener('click', () => openQueue(item?.caseNumber));

async function listMerges() {
  const list = $('merges');
  list.replaceChildren();
  try { merges = await api('merges'); } catch { merges = { items: [] }; }
  for (const entry of merges.items) {
    const li = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t().mergeEntry(entry) });
    button.dataset.case = entry.id;
    button.addEventListener('click', () => openMerge(entry.id));
    li.append(button);
    list.append(li);
  }
  $('merges-empty').hidden = merges.items.length > 0;
}

async function openMerge(id) {
  merge = await api('merges/' + encodeURIComponent(id));
  $('merge-h').textContent = t().mergeTitle(merge.officers.length);
  $('merge-reason').textContent = merge.reason;
  const rows = t().rows;
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('td')));
  merge.officers.forEach((o, i) => head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: `${i + 1}. ${o.name}` })));
  $('evidence').tHead.replaceChildren(head);
  const values = {
    source: o => o.source, name: o => o.name, badges: o => (o.badges || []).join(', '), employeeId: o => o.employeeId || '',
    unit: o => o.lastUnit || o.unit || '', rank: o => o.rank || '', hireDate: o => o.hireDate || '',
    years: o => o.firstComplaintYear ? `${o.firstComplaintYear}–${o.lastComplaintYear}` : '', complaints: o => String(o.complaints),
  };
  const body = $('evidence').tBodies[0];
  body.replaceChildren();
  for (const [key, value] of Object.entries(values)) {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: rows[key] }));
    for (const o of merge.officers) { tr.append(Object.assign(document.createElement('td'), { textContent: value(o) })); }
    body.append(tr);
  }
  for (const radio of document.querySelectorAll('input[name="decision"]')) { radio.checked = false; }
  $('merge-note').value = '';
  show('merge');
  $('merge-h').focus();
}

$('decide').addEventListener('click', async () => {
  const decision = document.querySelector('input[name="decision"]:checked')?.value;
  if (!decision) { say(t().chooseDecision); return; }
  say('');
  try {
    await api('merges/' + encodeURIComponent(merge.id), { method: 'POST', body: JSON.stringify({ decision, reviewVersion: merges.reviewVersion, note: $('merge-note').value || null }) });
    await openQueue();
    say(t().decided);
  } catch (e) { say(e.message); }
});

$('to-merges').addEventListener('click', event => { event.preventDefault(); $('merges-h').focus(); });

$('merge-back').addEventListener('click', () => openQueue(merge?.id));

$('signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  try {
    session = await api('session', { method: 'POST', body: JSON.stringify({ name: $('name').value, key: $('key').value }) });
    $('key').value = '';
    say('');
    await openQueue();
  } catch (e) { say(e.message); $('key').focus(); }
});

$('signout').addEventListener('click', async () => {
  let out = null;
  try { out = await api('session', { method: 'DELETE' }); } catch { /* signed out either way */ }
  if (out?.signOut) { location.assign(out.signOut); return; } // the identity provider ends the sign-in
  session = null;
  show('signin');
  say(t().signedOut);
  $('name').focus();
});

$('lang').addEventListener('change', () => { lang = $('lang').value; translate(); if (session) { $('who').textContent = t().signedInAs(session.reviewer); } if (item && !$('item').hidden) { renderFlags(); renderMasks(); render(); } if (merge && !$('merge').hidden) { openMerge(merge.id); } else if (session && !$('queue').hidden) { openQueue(); } });

start();
