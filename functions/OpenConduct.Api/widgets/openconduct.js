/*! OpenConduct widgets: <oc-officer-search>, <oc-officer-history>, <oc-dashboard>, <oc-map>.
 * One ES module, vanilla custom elements with shadow DOM, no dependencies. Reference: docs/widgets.md. */

const SCRIPT_URL = import.meta.url;

/* ---------------------------------------------------------------- strings ----
 * Every string a person sees, per language. A value is a text with {placeholders}, or {one, other, ...} chosen by
 * Intl.PluralRules from the placeholder n. Keys under "v." name the values of the data's vocabularies; anything not
 * listed falls back to English, then to the value itself. addStrings(lang, table) adds or completes a language. */
const STRINGS = {
  en: {
    'search.label': 'Search officers by name or badge number',
    'search.placeholder': 'e.g. White or 77016',
    'search.hint': 'Type at least {min} characters. Use the Up and Down arrow keys to move through the results, Enter to choose one, Escape to close them.',
    'search.searching': 'Searching…',
    'search.found': { one: '{n} officer found.', other: '{n} officers found.' },
    'search.more': 'Showing the first {shown}; type more to narrow the search.',
    'search.none': 'No officer matches.',
    'search.chosen': '{name} chosen.',
    'search.results': 'Officers',
    'officer.badge': 'Badge {badge}',
    'officer.employeeId': 'Employee ID {id}',
    'officer.years': 'Complaints {first}–{last}',
    'officer.year': 'Complaints {first}',
    'officer.sources': 'Source: {sources}',
    'officer.complaints': { one: '{n} complaint', other: '{n} complaints' },
    'history.empty': 'Choose an officer to see their complaint history.',
    'history.loading': 'Loading the complaint history…',
    'history.notFound': 'There is no officer with this id.',
    'history.loaded': 'Complaint history of {name}: {complaints}.',
    'history.caption': 'Complaint history of {name}, newest first',
    'history.badges': 'Badges',
    'history.employeeIds': 'Employee IDs',
    'history.sources': 'Sources',
    'history.years': 'Complaints received',
    'history.rank': 'Rank',
    'history.unit': 'Unit',
    'history.status': 'Status',
    'history.current': 'Current officer',
    'history.former': 'Former officer',
    'history.complaints': 'Complaints',
    'history.allegations': 'Allegations',
    'history.sustained': 'Sustained allegations',
    'history.disciplined': 'Allegations with discipline imposed',
    'history.none': 'No complaint is published for this officer.',
    'history.showAll': { one: 'Show the {n} complaint', other: 'Show all {n} complaints' },
    'col.case': 'Case number',
    'col.source': 'Source',
    'col.received': 'Received',
    'col.status': 'Status',
    'col.intake': 'Intake decision',
    'col.allegations': 'Allegations',
    'col.time': 'Time taken',
    'time.closed': { one: 'closed after {n} day', other: 'closed after {n} days' },
    'time.discipline': { one: 'final discipline after {n} day', other: 'final discipline after {n} days' },
    'finding.pending': 'finding pending, not yet public',
    'finding.none': 'no finding published',
    'discipline.days': { one: '{kind}, {n} day', other: '{kind}, {n} days' },
    'rec.recommended': 'Recommended',
    'rec.final': 'Final',
    'rec.pending': 'pending',
    'error.load': 'The data could not be loaded. Please try again later.',
    'loading': 'Loading…',
    'dash.missing': 'This chart has no dashboard name.',
    'dash.showTable': 'Show as a table',
    'dash.showChart': 'Show as a chart',
    'dash.filters': 'Filters:',
    'dash.allRecords': 'all records',
    'dash.remove': 'Remove the filter {filter}',
    'dash.clear': 'Clear all filters',
    'dash.total': 'Total',
    'dash.suppressed': 'suppressed',
    'dash.suppressedNote': 'To protect privacy, counts below {k} are not shown (“<{k}”), nor some others that would let them be worked out.',
    'dash.updated': '{title}, {filters}: {total}.',
    'dash.drill': 'Show only {filter}',
    'dash.notes': 'Notes',
    'dash.chart': 'Chart: {title}. Choose a bar to drill down.',
    'dash.bar': '{label}: {value}',
    'dash.legend': 'Legend',
    'dash.rest': 'Part of this total not shown (cells below {k}, and others that would reveal them)',
    'dash.restShort': '{n} of it not shown',
    'dash.atLeast': 'at least {n}', 'dash.hidden': 'hidden',
    'dash.atLeastTitle': 'Hidden; the published figures show it is at least {n}',
    'dash.hiddenTitle': 'Hidden so that the cells below {k} cannot be worked out',
    'dash.notShown': 'Part not shown',
    'dash.partial': 'The data runs to {month}: the last period is not a whole year.',
    'dash.others': { one: 'The other value: {names}', other: 'The {n} other values: {names}' },
    'dash.allUnknown': 'No record here gives the {dimension}: every count is “Unknown”. The source does not record it.',
    'dash.grouped.2-year': 'Two-year periods: single years have fewer than {k} {measure} and would show no total.',
    'dash.grouped.5-year': 'Five-year periods: shorter periods have fewer than {k} {measure} and would show no total.',
    'dash.grouped.all': 'One period of every year: shorter periods have fewer than {k} {measure} and would show no total.',
    'dash.grouped.quarter': 'Quarters: single months have fewer than {k} {measure} and would show no total.',
    'dash.grouped.year': 'Years: single months or quarters have fewer than {k} {measure} and would show no total.',
    'dash.grouped.merged': 'Groups with fewer than {k} {measure} are shown together as “{label}” ({members}).',
    'v.merged': 'Other groups (merged)',
    'v.quarter': 'Q{q} {year}',
    'dash.filterBy': '{dimension}: {value}',
    'map.label': 'Map: {title}. Choose a precinct to filter the linked charts.',
    'map.region': '{name}: {value}',
    'map.selected': '{name} selected; the linked charts show only this precinct.',
    'map.cleared': 'Precinct filter removed.',
    'map.noData': 'no data',
    'map.legend': 'Legend',
    'map.noBoundaries': 'The precinct boundaries could not be loaded.',
    'precinct': 'Precinct {name}',
    'measure.allegations': { one: '{n} allegation', other: '{n} allegations' },
    'measure.complaints': { one: '{n} complaint', other: '{n} complaints' },
    'measure.word.allegations': 'allegations',
    'measure.word.complaints': 'complaints',
    'measure.officers': { one: '{n} officer', other: '{n} officers' },
    'd.allegations-map': 'Allegations by precinct',
    'd.demographics': 'Demographics and allegation types',
    'd.intake-decisions': 'Decisions at intake',
    'd.discipline-outcomes': 'Findings and discipline imposed',
    'd.complaints-over-time': 'Complaints over time',
    'd.allegation-types': 'Allegation types and findings',
    'd.allegations-over-time': 'Allegations by type over time',
    'd.timeliness': 'Time to close and age of open cases',
    'd.timelines': 'Time to close and to final discipline',
    'd.recommended-vs-final': 'Recommended and final discipline',
    'dd.allegations-map': 'Allegations by the precinct where the incident happened.',
    'dd.demographics': 'Allegations by the complainants’ race, sex or age band, or the officers’ race or sex, against the allegation category.',
    'dd.intake-decisions': 'Complaints by the decision taken at intake: dismissed, coaching, mediation, investigation, referred or pending.',
    'dd.discipline-outcomes': 'Allegations by final finding and by the discipline imposed, once final.',
    'dd.complaints-over-time': 'Complaints received per year or month, by source.',
    'dd.allegation-types': 'Allegations by category and final finding (pending while the case is open).',
    'dd.allegations-over-time': 'Allegations by the year (or month) received, by category.',
    'dd.timeliness': 'Complaints by days from received to closed, and the age of open complaints.',
    'dd.timelines': 'How many days complaints took from received to closed (or to final discipline), by year received and source: the median and the 90th percentile.',
    'dur.median': 'Median days', 'dur.p90': '90th percentile', 'dur.count': 'Complaints',
    'dur.row': 'median {median} days, 90th percentile {p90} days ({n} complaints)',
    'dur.none': 'fewer than {k} complaints: not shown',
    'dur.legendMedian': 'Median: half of the complaints took at most this many days',
    'dur.legendP90': '90th percentile: nine in ten took at most this many days',
    'dur.to.closed': 'Days from received to closed', 'dur.to.discipline': 'Days from received to final discipline',
    'dim.to': 'Until', 'v.to.closed': 'Closed', 'v.to.discipline': 'Final discipline',
    'dd.recommended-vs-final': 'Allegations by the discipline recommended against the discipline imposed once final, where the policy publishes recommendations.',
    'dim.year': 'Year', 'dim.month': 'Month', 'dim.precinct': 'Precinct', 'dim.source': 'Source',
    'dim.category': 'Allegation category', 'dim.finding': 'Final finding', 'dim.discipline': 'Discipline imposed',
    'dim.intake': 'Intake decision', 'dim.status': 'Status', 'dim.complainantRace': 'Complainant race',
    'dim.complainantSex': 'Complainant sex', 'dim.complainantAgeBand': 'Complainant age band',
    'dim.officerRace': 'Officer race', 'dim.officerSex': 'Officer sex', 'dim.interval': 'Interval', 'dim.by': 'By',
    'dim.recommendedDiscipline': 'Discipline recommended',
    'dim.days': 'Days', 'dim.state': 'Cases',
    'v.unknown': 'Unknown', 'v.multiple': 'Several (they differ)', 'v.under': 'under {n}', 'v.days': '{range} days',
    'v.state.closed': 'Closed: days to close', 'v.state.open': 'Open: days open',
    'v.finding.Sustained': 'Sustained', 'v.finding.NotSustained': 'Not sustained', 'v.finding.Exonerated': 'Exonerated',
    'v.finding.Unfounded': 'Unfounded', 'v.finding.NoFinding': 'Closed without a finding', 'v.finding.Pending': 'Pending',
    'v.intake.Dismissed': 'Dismissed', 'v.intake.Coaching': 'Coaching', 'v.intake.Mediation': 'Mediation',
    'v.intake.Investigation': 'Investigation', 'v.intake.Referred': 'Referred', 'v.intake.Pending': 'Pending',
    'v.discipline.None': 'None', 'v.discipline.Coaching': 'Coaching', 'v.discipline.Training': 'Training',
    'v.discipline.OralReprimand': 'Oral reprimand', 'v.discipline.WrittenReprimand': 'Written reprimand',
    'v.discipline.Suspension': 'Suspension', 'v.discipline.Demotion': 'Demotion', 'v.discipline.Termination': 'Termination',
    'v.discipline.ResignedBeforeFinal': 'Resigned before a final decision', 'v.discipline.Other': 'Other',
    'v.status.Open': 'Open', 'v.status.Closed': 'Closed',
    'v.race.AmericanIndian': 'American Indian', 'v.race.Asian': 'Asian', 'v.race.Black': 'Black', 'v.race.Hispanic': 'Hispanic',
    'v.race.PacificIslander': 'Pacific Islander', 'v.race.White': 'White', 'v.race.Multiracial': 'Multiracial',
    'v.race.Other': 'Other', 'v.race.Unknown': 'Unknown',
    'v.sex.Female': 'Female', 'v.sex.Male': 'Male', 'v.sex.NonBinary': 'Non-binary', 'v.sex.Unknown': 'Unknown',
    'v.category.UseOfForce': 'Use of force', 'v.category.Language': 'Language', 'v.category.Procedure': 'Procedure',
    'v.category.Conduct': 'Conduct', 'v.category.Discrimination': 'Discrimination', 'v.category.Harassment': 'Harassment',
    'v.category.Courtesy': 'Courtesy', 'v.category.Truthfulness': 'Truthfulness',
    'v.category.SexualMisconduct': 'Sexual misconduct', 'v.category.DomesticViolence': 'Domestic violence',
    'v.interval.year': 'by year', 'v.interval.month': 'by month',
  },
  es: {
    'search.label': 'Buscar agentes por nombre o número de placa',
    'search.placeholder': 'p. ej. White o 77016',
    'search.hint': 'Escriba al menos {min} caracteres. Use las flechas arriba y abajo para recorrer los resultados, Intro para elegir uno y Escape para cerrarlos.',
    'search.searching': 'Buscando…',
    'search.found': { one: 'Se encontró {n} agente.', other: 'Se encontraron {n} agentes.' },
    'search.more': 'Se muestran los primeros {shown}; escriba más para afinar la búsqueda.',
    'search.none': 'Ningún agente coincide.',
    'search.chosen': 'Eligió a {name}.',
    'search.results': 'Agentes',
    'officer.badge': 'Placa {badge}',
    'officer.employeeId': 'N.º de empleado {id}',
    'officer.years': 'Quejas {first}–{last}',
    'officer.year': 'Quejas {first}',
    'officer.sources': 'Fuente: {sources}',
    'officer.complaints': { one: '{n} queja', other: '{n} quejas' },
    'history.empty': 'Elija un agente para ver su historial de quejas.',
    'history.loading': 'Cargando el historial de quejas…',
    'history.notFound': 'No hay ningún agente con este identificador.',
    'history.loaded': 'Historial de quejas de {name}: {complaints}.',
    'history.caption': 'Historial de quejas de {name}, de la más reciente a la más antigua',
    'history.badges': 'Placas',
    'history.employeeIds': 'N.º de empleado',
    'history.sources': 'Fuentes',
    'history.years': 'Quejas recibidas',
    'history.rank': 'Rango',
    'history.unit': 'Unidad',
    'history.status': 'Situación',
    'history.current': 'Agente en servicio',
    'history.former': 'Exagente',
    'history.complaints': 'Quejas',
    'history.allegations': 'Acusaciones',
    'history.sustained': 'Acusaciones probadas',
    'history.disciplined': 'Acusaciones con sanción impuesta',
    'history.none': 'No se ha publicado ninguna queja contra este agente.',
    'history.showAll': { one: 'Mostrar la {n} queja', other: 'Mostrar las {n} quejas' },
    'col.case': 'Número de caso',
    'col.source': 'Fuente',
    'col.received': 'Recibida',
    'col.status': 'Estado',
    'col.intake': 'Decisión inicial',
    'col.allegations': 'Acusaciones',
    'col.time': 'Tiempo empleado',
    'time.closed': { one: 'cerrada tras {n} día', other: 'cerrada tras {n} días' },
    'time.discipline': { one: 'sanción firme tras {n} día', other: 'sanción firme tras {n} días' },
    'finding.pending': 'resolución pendiente, aún no pública',
    'finding.none': 'sin resolución publicada',
    'discipline.days': { one: '{kind}, {n} día', other: '{kind}, {n} días' },
    'rec.recommended': 'Recomendado',
    'rec.final': 'Final',
    'rec.pending': 'pendiente',
    'error.load': 'No se pudieron cargar los datos. Inténtelo de nuevo más tarde.',
    'loading': 'Cargando…',
    'dash.missing': 'Este gráfico no indica el nombre de un panel.',
    'dash.showTable': 'Ver como tabla',
    'dash.showChart': 'Ver como gráfico',
    'dash.filters': 'Filtros:',
    'dash.allRecords': 'todos los registros',
    'dash.remove': 'Quitar el filtro {filter}',
    'dash.clear': 'Quitar todos los filtros',
    'dash.total': 'Total',
    'dash.suppressed': 'suprimido',
    'dash.suppressedNote': 'Para proteger la privacidad, no se muestran los recuentos menores de {k} («<{k}»), ni otros que permitirían deducirlos.',
    'dash.updated': '{title}, {filters}: {total}.',
    'dash.drill': 'Mostrar solo {filter}',
    'dash.notes': 'Notas',
    'dash.chart': 'Gráfico: {title}. Elija una barra para ver el detalle.',
    'dash.bar': '{label}: {value}',
    'dash.legend': 'Leyenda',
    'dash.rest': 'Parte de este total no mostrada (celdas menores de {k} y otras que permitirían deducirlas)',
    'dash.restShort': '{n} de ello no se muestra',
    'dash.atLeast': 'al menos {n}', 'dash.hidden': 'oculto',
    'dash.atLeastTitle': 'Oculto; las cifras publicadas muestran que es al menos {n}',
    'dash.hiddenTitle': 'Oculto para que no se puedan deducir las celdas menores de {k}',
    'dash.notShown': 'Parte no mostrada',
    'dash.partial': 'Los datos llegan hasta {month}: el último periodo no es un año completo.',
    'dash.others': { one: 'El otro valor: {names}', other: 'Los otros {n} valores: {names}' },
    'dash.allUnknown': 'Ningún registro indica {dimension}: todos los recuentos son «Desconocido». La fuente no lo registra.',
    'dash.grouped.2-year': 'Periodos de dos años: cada año por separado tiene menos de {k} {measure} y no mostraría su total.',
    'dash.grouped.5-year': 'Periodos de cinco años: los periodos más cortos tienen menos de {k} {measure} y no mostrarían su total.',
    'dash.grouped.all': 'Un solo periodo con todos los años: los periodos más cortos tienen menos de {k} {measure} y no mostrarían su total.',
    'dash.grouped.quarter': 'Trimestres: cada mes por separado tiene menos de {k} {measure} y no mostraría su total.',
    'dash.grouped.year': 'Años: cada mes o trimestre por separado tiene menos de {k} {measure} y no mostraría su total.',
    'dash.grouped.merged': 'Los grupos con menos de {k} {measure} se muestran juntos como «{label}» ({members}).',
    'v.merged': 'Otros grupos (agrupados)',
    'v.quarter': 'T{q} {year}',
    'dash.filterBy': '{dimension}: {value}',
    'map.label': 'Mapa: {title}. Elija un distrito para filtrar los gráficos vinculados.',
    'map.region': '{name}: {value}',
    'map.selected': 'Eligió el {name}; los gráficos vinculados muestran solo este distrito.',
    'map.cleared': 'Se quitó el filtro de distrito.',
    'map.noData': 'sin datos',
    'map.legend': 'Leyenda',
    'map.noBoundaries': 'No se pudieron cargar los límites de los distritos.',
    'precinct': 'Distrito {name}',
    'measure.allegations': { one: '{n} acusación', other: '{n} acusaciones' },
    'measure.complaints': { one: '{n} queja', other: '{n} quejas' },
    'measure.word.allegations': 'acusaciones',
    'measure.word.complaints': 'quejas',
    'measure.officers': { one: '{n} agente', other: '{n} agentes' },
    'd.allegations-map': 'Acusaciones por distrito',
    'd.demographics': 'Datos demográficos y tipos de acusación',
    'd.intake-decisions': 'Decisiones al recibir la queja',
    'd.discipline-outcomes': 'Resoluciones y sanciones impuestas',
    'd.complaints-over-time': 'Quejas a lo largo del tiempo',
    'd.allegation-types': 'Tipos de acusación y resoluciones',
    'd.allegations-over-time': 'Acusaciones por tipo a lo largo del tiempo',
    'd.timeliness': 'Tiempo hasta el cierre y antigüedad de los casos abiertos',
    'd.timelines': 'Tiempo hasta el cierre y hasta la sanción firme',
    'd.recommended-vs-final': 'Sanción recomendada y sanción final',
    'dd.allegations-map': 'Acusaciones según el distrito donde ocurrió el incidente.',
    'dd.demographics': 'Acusaciones según la raza, el sexo o la edad de los denunciantes, o la raza o el sexo de los agentes, frente al tipo de acusación.',
    'dd.intake-decisions': 'Quejas según la decisión tomada al recibirlas: desestimada, orientación, mediación, investigación, remitida o pendiente.',
    'dd.discipline-outcomes': 'Acusaciones según la resolución final y la sanción impuesta, una vez firmes.',
    'dd.complaints-over-time': 'Quejas recibidas por año o por mes, según la fuente.',
    'dd.allegation-types': 'Acusaciones según el tipo y la resolución final (pendiente mientras el caso está abierto).',
    'dd.allegations-over-time': 'Acusaciones por año (o mes) de recepción, según el tipo.',
    'dd.timeliness': 'Quejas según los días desde su recepción hasta su cierre, y antigüedad de las quejas abiertas.',
    'dd.timelines': 'Cuántos días tardaron las quejas desde su recepción hasta su cierre (o hasta la sanción firme), por año de recepción y fuente: la mediana y el percentil 90.',
    'dur.median': 'Mediana de días', 'dur.p90': 'Percentil 90', 'dur.count': 'Quejas',
    'dur.row': 'mediana {median} días, percentil 90 {p90} días ({n} quejas)',
    'dur.none': 'menos de {k} quejas: no se muestra',
    'dur.legendMedian': 'Mediana: la mitad de las quejas tardó como mucho estos días',
    'dur.legendP90': 'Percentil 90: nueve de cada diez tardaron como mucho estos días',
    'dur.to.closed': 'Días desde la recepción hasta el cierre', 'dur.to.discipline': 'Días desde la recepción hasta la sanción firme',
    'dim.to': 'Hasta', 'v.to.closed': 'Cierre', 'v.to.discipline': 'Sanción firme',
    'dd.recommended-vs-final': 'Acusaciones según la sanción recomendada frente a la sanción impuesta una vez firme, donde la política publica las recomendaciones.',
    'dim.year': 'Año', 'dim.month': 'Mes', 'dim.precinct': 'Distrito', 'dim.source': 'Fuente',
    'dim.category': 'Tipo de acusación', 'dim.finding': 'Resolución final', 'dim.discipline': 'Sanción impuesta',
    'dim.intake': 'Decisión inicial', 'dim.status': 'Estado', 'dim.complainantRace': 'Raza del denunciante',
    'dim.complainantSex': 'Sexo del denunciante', 'dim.complainantAgeBand': 'Franja de edad del denunciante',
    'dim.officerRace': 'Raza del agente', 'dim.officerSex': 'Sexo del agente', 'dim.interval': 'Intervalo', 'dim.by': 'Por',
    'dim.recommendedDiscipline': 'Sanción recomendada',
    'dim.days': 'Días', 'dim.state': 'Casos',
    'v.unknown': 'Desconocido', 'v.multiple': 'Varios (difieren)', 'v.under': 'menos de {n}', 'v.days': '{range} días',
    'v.state.closed': 'Cerrados: días hasta el cierre', 'v.state.open': 'Abiertos: días abiertos',
    'v.finding.Sustained': 'Probada', 'v.finding.NotSustained': 'No probada', 'v.finding.Exonerated': 'Exonerado',
    'v.finding.Unfounded': 'Infundada', 'v.finding.NoFinding': 'Cerrada sin resolución', 'v.finding.Pending': 'Pendiente',
    'v.intake.Dismissed': 'Desestimada', 'v.intake.Coaching': 'Orientación', 'v.intake.Mediation': 'Mediación',
    'v.intake.Investigation': 'Investigación', 'v.intake.Referred': 'Remitida', 'v.intake.Pending': 'Pendiente',
    'v.discipline.None': 'Ninguna', 'v.discipline.Coaching': 'Orientación', 'v.discipline.Training': 'Capacitación',
    'v.discipline.OralReprimand': 'Amonestación verbal', 'v.discipline.WrittenReprimand': 'Amonestación escrita',
    'v.discipline.Suspension': 'Suspensión', 'v.discipline.Demotion': 'Degradación', 'v.discipline.Termination': 'Despido',
    'v.discipline.ResignedBeforeFinal': 'Renunció antes de la decisión final', 'v.discipline.Other': 'Otra',
    'v.status.Open': 'Abierta', 'v.status.Closed': 'Cerrada',
    'v.race.AmericanIndian': 'Indígena americano', 'v.race.Asian': 'Asiático', 'v.race.Black': 'Negro', 'v.race.Hispanic': 'Hispano',
    'v.race.PacificIslander': 'Isleño del Pacífico', 'v.race.White': 'Blanco', 'v.race.Multiracial': 'Multirracial',
    'v.race.Other': 'Otra', 'v.race.Unknown': 'Desconocida',
    'v.sex.Female': 'Mujer', 'v.sex.Male': 'Hombre', 'v.sex.NonBinary': 'No binario', 'v.sex.Unknown': 'Desconocido',
    'v.category.UseOfForce': 'Uso de la fuerza', 'v.category.Language': 'Lenguaje', 'v.category.Procedure': 'Procedimiento',
    'v.category.Conduct': 'Conducta', 'v.category.Discrimination': 'Discriminación', 'v.category.Harassment': 'Acoso',
    'v.category.Courtesy': 'Cortesía', 'v.category.Truthfulness': 'Veracidad',
    'v.category.SexualMisconduct': 'Conducta sexual indebida', 'v.category.DomesticViolence': 'Violencia doméstica',
    'v.interval.year': 'por año', 'v.interval.month': 'por mes',
  },
};

/* The vocabulary of each dimension's values (for the "v.{vocabulary}.{value}" strings). */
const VOCABULARY = {
  finding: 'finding', intake: 'intake', discipline: 'discipline', recommendedDiscipline: 'discipline', status: 'status', category: 'category',
  complainantRace: 'race', officerRace: 'race', complainantSex: 'sex', officerSex: 'sex', interval: 'interval', state: 'state',
};

/** The dimensions a dashboard's query string may carry that are options rather than filters. */
const OPTIONS = new Set(['by', 'interval', 'to']);

/* ----------------------------------------------------------------- styles ----
 * Themable with CSS custom properties set on the page (they inherit into the shadow roots): see docs/widgets.md.
 * Adopted stylesheets, not <style> elements or style attributes, so a page's strict style-src CSP does not block them.
 * Forced colours (high contrast): the page's colours give way to the user's system colours, except the data's: bar
 * segments, regions and legend swatches keep their fills (forced-color-adjust:none) so the legend still matches, outlined
 * in CanvasText so each segment and region stands out from the Canvas and its neighbours; the part of a total not shown
 * is Canvas with a dashed CanvasText outline, in the chart and in its legend; texts, axes and grid in CanvasText and
 * GrayText (a precinct's label keeps the black or white that reads on its region); focus in Highlight. */
const STYLE = `
:host{display:block;min-width:0;max-width:100%;font-family:var(--oc-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);font-size:var(--oc-font-size,1rem);line-height:1.45;color:var(--oc-fg,#1b1b1b);background:var(--oc-bg,#fff);--a:var(--oc-accent,#005ea2);--af:var(--oc-accent-fg,#fff);--m:var(--oc-muted,#565c65);--r:var(--oc-rule,#dfe1e2);--f:var(--oc-focus,#1a4480)}
:host([hidden]){display:none}
*{box-sizing:border-box}
.sr{position:absolute!important;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
h2,h3,h4,h5,h6{font-size:1.2em;margin:.2em 0 .4em;line-height:1.25}
p{margin:.4em 0}
:focus-visible{outline:3px solid var(--f);outline-offset:2px}
button{font:inherit;cursor:pointer;border-radius:var(--oc-radius,4px)}
.btn{color:var(--af);background:var(--a);border:2px solid var(--a);padding:.3em .8em}
.btn:hover{filter:brightness(.9)}
.link{background:none;border:0;padding:0;color:var(--oc-link,var(--a));text-decoration:underline;text-align:left}
label{display:block;font-weight:600;margin-bottom:.3em}
input{font:inherit;width:100%;padding:.5em .6em;color:inherit;background:var(--oc-bg,#fff);border:2px solid var(--oc-border,#565c65);border-radius:var(--oc-radius,4px)}
input:focus-visible{outline-offset:0}
.hint,.meta,.desc,.note{color:var(--m);font-size:.9em}
.combo{position:relative}
[role=listbox]{position:absolute;z-index:10;left:0;right:0;box-shadow:0 4px 12px rgba(0,0,0,.2);list-style:none;margin:.25em 0 0;padding:0;max-height:22em;overflow:auto;border:1px solid var(--oc-border,#565c65);border-radius:var(--oc-radius,4px);background:var(--oc-bg,#fff)}
[role=option]{padding:.45em .6em;cursor:pointer;border-bottom:1px solid var(--r)}
[role=option]:last-child{border-bottom:0}
[role=option]:hover{background:var(--oc-hover,#f0f0f0)}
[role=option][aria-selected=true]{color:var(--af);background:var(--a);outline:3px solid var(--f);outline-offset:-3px}
[role=option][aria-selected=true] .meta{color:inherit}
.name{font-weight:600}
.meta{display:block}
.status{min-height:1.4em;margin:.3em 0;color:var(--m);font-size:.9em}
.err{color:var(--oc-error,#b50909)}
.wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;margin:.4em 0}
caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid var(--r)}
thead th{border-bottom:2px solid var(--oc-fg,#1b1b1b)}
.n{text-align:right}
td ul{margin:0;padding-left:1.1em}
.rec{display:block;color:var(--m);font-size:.9em}
dl.facts{display:flex;flex-wrap:wrap;gap:.2em 1.5em;margin:.3em 0}
dl.facts div{display:flex;gap:.4em}
dt{color:var(--m)}dd{margin:0;font-weight:600}
ul.sum{display:flex;flex-wrap:wrap;gap:.6em;list-style:none;padding:0;margin:.5em 0}
ul.sum li{border:1px solid var(--r);border-radius:var(--oc-radius,4px);padding:.3em .7em}
ul.sum b{display:block;font-size:1.4em}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4em .8em;margin:.3em 0}
.chips{display:inline-flex;flex-wrap:wrap;gap:.3em;list-style:none;margin:0;padding:0}
.chips li{display:inline-flex;align-items:center;gap:.3em;border:1px solid var(--a);border-radius:1em;padding:.05em .3em .05em .7em}
.chips button{border:0;background:none;color:var(--a);font-weight:700;padding:0 .35em;border-radius:1em}
svg{display:block;width:100%;height:auto;max-height:var(--oc-chart-height,28em);overflow:visible}
svg text{fill:var(--oc-fg,#1b1b1b);font-size:13px;paint-order:stroke;stroke:var(--oc-bg,#fff);stroke-width:3px;stroke-linejoin:round}
svg .lbl{pointer-events:none}
svg text[data-lp]{fill:#000;color:#000;stroke:#fff}
svg text[data-lp].on-dark{fill:#fff;color:#fff;stroke:#000}
svg .pn{font-weight:700;font-size:15px}
.axis{stroke:var(--oc-fg,#1b1b1b);stroke-width:1}
.grid{stroke:var(--r);stroke-width:1}
.hit{fill:transparent}
g.b{cursor:pointer;outline:none}
g.b:hover rect:not(.hit),g.b:focus-visible rect:not(.hit){filter:brightness(.85)}
g.b:focus-visible .hit{stroke:var(--f);stroke-width:3}
.s0{fill:var(--oc-series-1,#005ea2);background:var(--oc-series-1,#005ea2)}
.s1{fill:var(--oc-series-2,#c05600);background:var(--oc-series-2,#c05600)}
.s2{fill:var(--oc-series-3,#008817);background:var(--oc-series-3,#008817)}
.s3{fill:var(--oc-series-4,#6b4dc4);background:var(--oc-series-4,#6b4dc4)}
.s4{fill:var(--oc-series-5,#b51d09);background:var(--oc-series-5,#b51d09)}
.s5{fill:var(--oc-series-6,#1b1b1b);background:var(--oc-series-6,#1b1b1b)}
.s6{fill:var(--oc-series-7,#00869d);background:var(--oc-series-7,#00869d)}
.s7{fill:var(--oc-series-8,#8b6e00);background:var(--oc-series-8,#8b6e00)}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;list-style:none;padding:0;margin:.4em 0;font-size:.9em}
.legend li{display:flex;align-items:center;gap:.35em}
.sw{display:inline-block;width:1em;height:1em;border:1px solid var(--oc-fg,#1b1b1b);border-radius:2px}
.region{stroke:var(--oc-bg,#fff);stroke-width:1.5;cursor:pointer;outline:none}
.region:hover{filter:brightness(.92)}
.region:focus-visible{stroke:var(--f);stroke-width:5}
.region[aria-pressed=true]{stroke:var(--oc-fg,#1b1b1b);stroke-width:4}
.sel{fill:none;stroke:var(--oc-fg,#1b1b1b);stroke-width:4;pointer-events:none}
.q0{--c:12%}.q1{--c:32%}.q2{--c:52%}.q3{--c:72%}.q4{--c:92%}
.q0,.q1,.q2,.q3,.q4{fill:color-mix(in srgb,var(--oc-map-high,var(--a)) var(--c),var(--oc-map-low,#fff));background:color-mix(in srgb,var(--oc-map-high,var(--a)) var(--c),var(--oc-map-low,#fff))}
.qs{fill:var(--oc-suppressed,#8a8f94);background:var(--oc-suppressed,#8a8f94)}
.rest{fill:var(--oc-bg,#fff);stroke:var(--oc-fg,#1b1b1b);stroke-width:1;stroke-dasharray:3 2;background:repeating-linear-gradient(45deg,var(--oc-fg,#1b1b1b) 0 1px,var(--oc-bg,#fff) 1px 4px)}
.p90{stroke:var(--oc-fg,#1b1b1b);stroke-width:2}.sw.p90{height:2px;border:0;background:var(--oc-fg,#1b1b1b);vertical-align:middle}
.grouped{font-size:.9em;margin:.3em 0}
.qn{fill:var(--oc-bg,#fff);background:var(--oc-bg,#fff);stroke:var(--m);stroke-dasharray:4 3}
@media (prefers-reduced-motion:no-preference){rect,.region{transition:filter .15s,stroke-width .15s}.busy{animation:oc-pulse 1.2s ease-in-out infinite}}
@keyframes oc-pulse{50%{opacity:.5}}
@media (forced-colors:active){
[role=option][aria-selected=true]{outline:3px solid Highlight}
svg rect,.region,.sel,.sw{forced-color-adjust:none}
svg text{fill:CanvasText;stroke:Canvas}
.axis{stroke:CanvasText}
.grid{stroke:GrayText}
.s0,.s1,.s2,.s3,.s4,.s5,.s6,.s7{stroke:CanvasText;stroke-width:1}
.sw{border:1px solid CanvasText}
.rest{fill:Canvas;stroke:CanvasText;stroke-width:1.5;stroke-dasharray:4 2}
.sw.rest{background:Canvas;border:2px dashed CanvasText}
.region{stroke:CanvasText;stroke-width:1.5}
.qn{fill:Canvas;background:Canvas;stroke:CanvasText;stroke-dasharray:4 3}
.region[aria-pressed=true],.sel{stroke:CanvasText;stroke-width:4}
.region:focus-visible{stroke:Highlight;stroke-width:5}
g.b:focus-visible .hit{stroke:Highlight;stroke-width:3}
g.b:hover rect:not(.hit),g.b:focus-visible rect:not(.hit){filter:none}
.p90{stroke:CanvasText}.sw.p90{background:CanvasText}
}
`;

let sheet;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

/* ---------------------------------------------------------------- helpers ---- */
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const clampLevel = (v) => Math.min(6, Math.max(2, parseInt(v, 10) || 2));

/** The language of an element: its own lang attribute, an ancestor's, the page's, else the browser's; one we have strings for. */
function languageOf(el) {
  const tag = (el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en').toLowerCase();
  return STRINGS[tag] ? tag : STRINGS[tag.split('-')[0]] ? tag.split('-')[0] : 'en';
}

function translate(lang, key, vars = {}) {
  let s = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  if (typeof s === 'object') {
    const form = new Intl.PluralRules(lang).select(Number(vars.n ?? 0));
    s = s[form] ?? s.other;
  }
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    const v = vars[name];
    return v === undefined ? m : typeof v === 'number' ? new Intl.NumberFormat(lang).format(v) : String(v);
  });
}

/** Dates as the API publishes them (yyyy-MM-dd, yyyy-MM, yyyy) in the reader's language. */
function formatDate(lang, text) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || '');
  if (!m) return text || '';
  const date = new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1));
  const options = m[3] ? { dateStyle: 'medium' } : m[2] ? { year: 'numeric', month: 'short' } : { year: 'numeric' };
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(date);
}

/** "UseOfForce" -> "Use of force": the last resort for a value no string names. */
const humanize = (v) => String(v).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^(.)(.*)$/, (m, a, b) => a + b.toLowerCase());

/* ------------------------------------------------------------- the client ----
 * GETs JSON from the API (CORS, no credentials), sharing one request per URL among widgets for a few minutes. */
const responses = new Map();
const TTL = 5 * 60 * 1000;

function defaultBase() {
  try {
    return new URL(SCRIPT_URL).origin;
  } catch {
    return location.origin;
  }
}

function getJson(url) {
  const hit = responses.get(url);
  if (hit && Date.now() - hit.at < TTL) return hit.promise;
  const promise = fetch(url, { headers: { Accept: 'application/json, application/geo+json' }, credentials: 'omit', mode: 'cors' })
    .then(async (r) => {
      if (!r.ok) {
        const e = new Error(`HTTP ${r.status} for ${url}`);
        e.status = r.status;
        throw e;
      }
      return r.json();
    });
  promise.catch(() => responses.delete(url));
  responses.set(url, { at: Date.now(), promise });
  if (responses.size > 200) responses.delete(responses.keys().next().value);
  return promise;
}

/* ----------------------------------------------------- the base element ---- */
const widgets = new Set();
let languageWatch;

class OcElement extends HTMLElement {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.adoptedStyleSheets = [styles()];
    this.seq = 0;
  }

  connectedCallback() {
    widgets.add(this);
    if (!languageWatch) {
      // A language switch on the page (<html lang>, or any ancestor's lang) re-renders every widget in the new language.
      languageWatch = new MutationObserver(() => widgets.forEach((w) => w.relanguage()));
      languageWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    }
    if (!this.built) {
      this.built = true;
      this.build();
    }
    this.language = languageOf(this);
    this.load();
  }

  disconnectedCallback() {
    widgets.delete(this);
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.built || !this.isConnected) return;
    if (name === 'lang') this.relanguage();
    else this.changed(name);
  }

  /** An attribute other than lang changed: by default, load again. */
  changed() {
    this.load();
  }

  relanguage() {
    const lang = languageOf(this);
    if (lang !== this.language) {
      this.language = lang;
      this.render();
    }
  }

  /** The persistent skeleton: a body re-rendered at will and a live region that survives re-renders. */
  build() {
    this.root.innerHTML = '<div class="body"></div><p class="sr" role="status" aria-live="polite" aria-atomic="true"></p>';
    this.body = this.root.querySelector('.body');
    this.live = this.root.querySelector('[role=status]');
  }

  t(key, vars) {
    return translate(this.language, key, vars);
  }

  num(n) {
    return new Intl.NumberFormat(this.language).format(n);
  }

  /** The API's base URL: the api attribute, else the origin this script was served from. */
  get base() {
    return (this.getAttribute('api') || defaultBase()).replace(/\/+$/, '');
  }

  get heading() {
    return `h${clampLevel(this.getAttribute('heading-level'))}`;
  }

  /**
   * Re-renders without losing the keyboard user's place: the focused bar, precinct or row button (same value) or the
   * view toggle gets the focus back when the focus was inside the widget.
   */
  keepFocus(draw) {
    const a = this.root.activeElement;
    const sel = !a ? null : a.dataset?.drill !== undefined ? `[data-drill="${a.dataset.drill}"]` : a.dataset?.p !== undefined ? `[data-p="${CSS_ESCAPE(a.dataset.p)}"]` : a.dataset?.remove !== undefined || a.classList.contains('clear') ? '.chips button, .toggle' : '.toggle';
    draw();
    const el = sel && (this.body.querySelector(sel) || this.body.querySelector('.toggle'));
    if (el) {
      if (el.tagName === 'g') this.body.querySelectorAll('g[data-drill]').forEach((b) => b.setAttribute('tabindex', b === el ? '0' : '-1'));
      el.focus();
    }
  }

  /** The width to draw a chart at, in CSS pixels, so that its text keeps its size. */
  width() {
    this.drawnWidth = Math.round(Math.min(1200, Math.max(280, this.body.clientWidth || this.clientWidth || 640)));
    return this.drawnWidth;
  }

  /** Draws again when the widget's width changes noticeably (charts are drawn at their width). */
  watchWidth() {
    this.resizing ??= new ResizeObserver(() => {
      const now = Math.min(1200, Math.max(280, this.body.clientWidth || 0));
      if (this.drawnWidth && this.state?.data && Math.abs(now - this.drawnWidth) > 24) this.render();
    });
    this.resizing.observe(this);
  }

  /** Says something to screen readers (the live region is polite and atomic). */
  announce(text) {
    this.live.textContent = '';
    requestAnimationFrame(() => { this.live.textContent = text; });
  }

  emit(type, detail, cancelable = false) {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** The elements a for="id1 id2" attribute names. */
  targets() {
    return (this.getAttribute('for') || '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)).filter(Boolean);
  }

  dimension(name) {
    return this.t(`dim.${name}`) !== `dim.${name}` ? this.t(`dim.${name}`) : humanize(name);
  }

  /** A value of a dimension in the reader's language. */
  value(dimension, v, bare = false) {
    if (v === null || v === undefined || v === '') return this.t('v.unknown');
    if (v === 'Unknown') return this.t('v.unknown');
    if (v === 'Multiple') return this.t('v.multiple');
    if (dimension === 'precinct') return bare ? String(v) : this.t('precinct', { name: v });
    if (dimension === 'month' && /^\d{2}$/.test(v)) return new Intl.DateTimeFormat(this.language, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, +v - 1, 1)));
    if (v === 'Other (merged)') return this.t('v.merged');
    if (/^\d{4}-\d{4}$/.test(v)) return String(v).replace('-', '–');
    if (/^\d{4}-Q[1-4]$/.test(v)) return this.t('v.quarter', { q: v.slice(6), year: v.slice(0, 4) });
    if (dimension === 'month' || dimension === 'year') return formatDate(this.language, String(v));
    if (dimension === 'source') return String(v).toUpperCase();
    if (dimension === 'days') return this.t('v.days', { range: String(v).replace('-', '–') });
    if (/^under \d+$/.test(v)) return this.t('v.under', { n: +v.slice(6) });
    const vocabulary = VOCABULARY[dimension];
    const key = `v.${vocabulary}.${v}`;
    if (vocabulary && (STRINGS[this.language]?.[key] || STRINGS.en[key])) return this.t(key);
    return /^[A-Z][a-z]+[A-Z]/.test(v) ? humanize(v) : String(v);
  }

  /** A count of the measure ("45 allegations"), or the bare number for a measure without strings. */
  measure(measure, n) {
    const key = `measure.${measure}`;
    return STRINGS.en[key] ? this.t(key, { n }) : this.num(n);
  }

  /** Waits for the result of the latest call only: an older request that answers late is dropped. */
  async latest(promise) {
    const seq = ++this.seq;
    const value = await promise;
    if (seq !== this.seq) throw Object.assign(new Error('superseded'), { superseded: true });
    return value;
  }
}

/* ---------------------------------------------------- <oc-officer-search> ----
 * WAI-ARIA 1.2 combobox with a listbox popup: type-ahead (debounced), Up/Down/Enter/Escape, the active option as
 * aria-activedescendant, the count announced. Choosing an officer fires a cancelable oc-officer-select event, then
 * (unless cancelled) goes to href (with {id} replaced) or shows the officer in the oc-officer-history elements that
 * for names (the first on the page without for). */
class OfficerSearch extends OcElement {
  static observedAttributes = ['lang', 'api', 'href', 'for', 'min-chars'];

  build() {
    this.root.innerHTML = `<label id="l" for="q"></label><div class="combo">
<input id="q" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="lb" aria-describedby="h" autocomplete="off" autocapitalize="off" spellcheck="false" enterkeyhint="search">
<ul id="lb" role="listbox" aria-labelledby="l" hidden></ul></div>
<p class="status" role="status" aria-live="polite" aria-atomic="true"></p>
<p id="h" class="hint"></p>`;
    this.input = this.root.getElementById('q');
    this.list = this.root.getElementById('lb');
    this.live = this.root.querySelector('.status');
    this.results = [];
    this.total = 0;
    this.active = -1;
    this.input.addEventListener('input', () => {
      // Busy from the keystroke until the answer for the whole text is shown (a late answer never replaces a newer one).
      this.list.setAttribute('aria-busy', 'true');
      this.seq++;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), 250);
    });
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => this.close());
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const option = e.target.closest('[role=option]');
      if (option) this.choose(+option.dataset.i);
    });
  }

  load() {
    this.render();
  }

  changed() {}

  get minChars() {
    return Math.max(1, parseInt(this.getAttribute('min-chars'), 10) || 2);
  }

  render() {
    this.root.getElementById('l').textContent = this.t('search.label');
    this.root.getElementById('h').textContent = this.t('search.hint', { min: this.minChars });
    this.input.placeholder = this.t('search.placeholder');
    this.list.setAttribute('aria-label', this.t('search.results'));
    this.renderList();
    if (this.statusKey) this.live.textContent = this.statusText();
  }

  statusText() {
    const { key, vars } = this.statusKey;
    let text = this.t(key, vars);
    if (key === 'search.found' && this.results.length < this.total) text += ' ' + this.t('search.more', { shown: this.results.length });
    return text;
  }

  setStatus(key, vars) {
    this.statusKey = key ? { key, vars } : null;
    this.live.classList.toggle('err', key === 'error.load');
    this.live.textContent = key ? this.statusText() : '';
  }

  async search() {
    const q = this.input.value.trim();
    if (q.length < this.minChars) {
      this.seq++;
      this.results = [];
      this.setStatus(null);
      this.close();
      this.list.setAttribute('aria-busy', 'false');
      return;
    }
    this.setStatus('search.searching');
    try {
      const page = await this.latest(getJson(`${this.base}/api/officers?q=${encodeURIComponent(q)}`));
      this.results = page.officers || [];
      this.total = page.total ?? this.results.length;
      this.active = -1;
      this.setStatus(this.results.length ? 'search.found' : 'search.none', { n: this.total });
      this.renderList();
      if (this.results.length) this.open();
      else this.close();
    } catch (e) {
      if (e.superseded) return;
      this.results = [];
      this.close();
      this.setStatus('error.load');
    }
    this.list.setAttribute('aria-busy', 'false');
  }

  renderList() {
    this.list.innerHTML = this.results.map((o, i) => {
      // What tells two people of one name apart: badge (or employee id), rank, unit, sources, complaint years, count.
      const badge = o.currentBadge || (o.badges || [])[0];
      const id = !badge && (o.employeeIds || [])[0];
      const years = o.firstComplaintYear == null ? null
        : o.firstComplaintYear === o.lastComplaintYear ? this.t('officer.year', { first: String(o.firstComplaintYear) })
          : this.t('officer.years', { first: String(o.firstComplaintYear), last: String(o.lastComplaintYear) }); // years, not numbers: no grouping
      const meta = [badge ? this.t('officer.badge', { badge }) : id ? this.t('officer.employeeId', { id }) : null, o.rank, o.unit,
        (o.sources || []).length ? this.t('officer.sources', { sources: o.sources.join(', ') }) : null, years, this.t('officer.complaints', { n: o.complaints ?? 0 })]
        .filter(Boolean).map(esc).join(' · ');
      return `<li role="option" id="o${i}" data-i="${i}" aria-selected="${i === this.active}"><span class="name">${esc(o.displayName)}</span><span class="meta">${meta}</span></li>`;
    }).join('');
    this.highlight();
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.active = -1;
    this.highlight();
  }

  highlight() {
    this.list.querySelectorAll('[role=option]').forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `o${this.active}`);
      this.root.getElementById(`o${this.active}`)?.scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  key(e) {
    const n = this.results.length;
    const isOpen = !this.list.hidden;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!n) return;
        e.preventDefault();
        if (!isOpen) this.open();
        if (e.altKey) return;
        this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active <= 0 ? n - 1 : this.active - 1);
        this.highlight();
        break;
      case 'Enter':
        if (isOpen && this.active >= 0) {
          e.preventDefault();
          this.choose(this.active);
        }
        break;
      case 'Escape':
        e.preventDefault();
        if (isOpen) this.close();
        else {
          this.input.value = '';
          this.results = [];
          this.setStatus(null);
        }
        break;
      case 'Tab':
        this.close();
        break;
      default:
    }
  }

  choose(i) {
    const officer = this.results[i];
    if (!officer) return;
    this.input.value = officer.displayName;
    this.close();
    this.setStatus('search.chosen', { name: officer.displayName });
    if (!this.emit('oc-officer-select', { id: officer.id, displayName: officer.displayName }, true)) return;
    const href = this.getAttribute('href');
    if (href) {
      location.assign(href.replaceAll('{id}', encodeURIComponent(officer.id)));
      return;
    }
    const histories = this.hasAttribute('for') ? this.targets() : [document.querySelector('oc-officer-history')].filter(Boolean);
    histories.forEach((h) => h.setAttribute('officer-id', officer.id));
  }
}

/* --------------------------------------------------- <oc-officer-history> ----
 * One officer's complaint history (GET /api/officers/{id}) as facts, counts and an accessible table. Without an
 * officer-id attribute it shows the officer named by the page URL's ?officer= parameter (for search href links). */
class OfficerHistory extends OcElement {
  static observedAttributes = ['lang', 'api', 'officer-id', 'limit', 'heading-level'];

  get officerId() {
    return this.getAttribute('officer-id') || new URLSearchParams(location.search).get('officer') || '';
  }

  changed(name) {
    if (name === 'heading-level' || name === 'limit') this.render();
    else this.load();
  }

  async load() {
    const id = this.officerId;
    const again = this.ready;
    this.ready = true;
    this.showAll = false;
    if (!id) {
      this.state = { empty: true };
      this.render();
      return;
    }
    this.state = { loading: true };
    this.render();
    try {
      const officer = await this.latest(getJson(`${this.base}/api/officers/${encodeURIComponent(id)}`));
      this.state = { officer };
      this.render();
      if (again) this.announce(this.t('history.loaded', { name: officer.displayName, complaints: this.t('officer.complaints', { n: officer.complaints?.length ?? 0 }) }));
    } catch (e) {
      if (e.superseded) return;
      this.state = { error: e.status === 404 ? 'history.notFound' : 'error.load' };
      this.render();
      this.announce(this.t(this.state.error));
    }
  }

  render() {
    const s = this.state || { empty: true };
    if (!s.officer) {
      const key = s.empty ? 'history.empty' : s.loading ? 'history.loading' : s.error;
      this.body.innerHTML = `<p class="${s.error ? 'err' : s.loading ? 'hint busy' : 'hint'}">${esc(this.t(key))}</p>`;
      return;
    }
    const o = s.officer;
    const h = this.heading;
    const facts = [
      ['history.badges', (o.badges || []).join(', ')],
      ['history.employeeIds', (o.employeeIds || []).join(', ')],
      ['history.sources', [...new Set((o.sourceRefs || []).map((r) => r.source))].sort().join(', ')],
      ['history.years', o.firstComplaintYear == null ? null : o.firstComplaintYear === o.lastComplaintYear ? String(o.firstComplaintYear) : `${o.firstComplaintYear}–${o.lastComplaintYear}`],
      ['history.rank', o.rank],
      ['history.unit', o.unit],
      ['history.status', o.status === 'current' ? this.t('history.current') : o.status === 'former' ? this.t('history.former') : null],
    ].filter(([, v]) => v).map(([k, v]) => `<div><dt>${esc(this.t(k))}</dt><dd>${esc(v)}</dd></div>`).join('');
    const sum = o.summary || {};
    const counts = [['history.complaints', sum.complaints], ['history.allegations', sum.allegations], ['history.sustained', sum.sustained], ['history.disciplined', sum.disciplineImposed]]
      .map(([k, v]) => `<li><b>${esc(this.num(v ?? 0))}</b>${esc(this.t(k))}</li>`).join('');
    const complaints = o.complaints || [];
    const limit = Math.max(1, parseInt(this.getAttribute('limit'), 10) || 25);
    const shown = this.showAll ? complaints : complaints.slice(0, limit);
    const rows = shown.map((c) => `<tr><th scope="row">${esc(c.caseNumber)}</th><td>${esc(c.source)}</td><td>${esc(formatDate(this.language, c.receivedDate))}</td><td>${esc(c.status ? this.value('status', c.status) : '')}</td><td>${esc(c.intakeDecision ? this.value('intake', c.intakeDecision) : '')}</td><td>${esc(this.durations(c))}</td><td><ul>${(c.allegations || []).map((a) => `<li>${esc(this.allegation(a))}${this.recommendation(a)}</li>`).join('')}</ul></td></tr>`).join('');
    const cols = ['col.case', 'col.source', 'col.received', 'col.status', 'col.intake', 'col.time', 'col.allegations'].map((k) => `<th scope="col">${esc(this.t(k))}</th>`).join('');
    this.body.innerHTML = `<section aria-labelledby="t"><${h} id="t">${esc(o.displayName)}</${h}><dl class="facts">${facts}</dl><ul class="sum">${counts}</ul>${complaints.length
      ? `<div class="wrap" tabindex="0" role="region" aria-labelledby="c"><table><caption id="c">${esc(this.t('history.caption', { name: o.displayName }))}</caption><thead><tr>${cols}</tr></thead><tbody>${rows}</tbody></table></div>${shown.length < complaints.length ? `<button class="btn more" type="button">${esc(this.t('history.showAll', { n: complaints.length }))}</button>` : ''}`
      : `<p>${esc(this.t('history.none'))}</p>`}</section>`;
    this.body.querySelector('.more')?.addEventListener('click', () => {
      this.showAll = true;
      this.render();
      this.body.querySelector(`tbody tr:nth-child(${limit + 1}) th`)?.setAttribute('tabindex', '-1');
      this.body.querySelector(`tbody tr:nth-child(${limit + 1}) th`)?.focus();
    });
  }

  /** "closed after 143 days; final discipline after 210 days": the case's durations, where its published dates tell. */
  durations(c) {
    return [['time.closed', c.daysToClose], ['time.discipline', c.daysToFinalDiscipline]]
      .filter(([, n]) => n !== null && n !== undefined)
      .map(([key, n]) => this.t(key, { n }))
      .join('; ');
  }

  /** "Use of force: Sustained; Suspension, 5 days" from an allegation of the history. */
  allegation(a) {
    const finding = a.finalFinding ? this.value('finding', a.finalFinding) : a.findingPending ? this.t('finding.pending') : this.t('finding.none');
    let text = `${this.value('category', a.category)}: ${finding}`;
    if (a.imposedDiscipline) {
      const kind = this.value('discipline', a.imposedDiscipline);
      text += '; ' + (a.imposedDisciplineDays ? this.t('discipline.days', { kind, n: a.imposedDisciplineDays }) : kind);
    }
    return text;
  }

  /**
   * Where the policy publishes recommendations (New York): the recommended finding and discipline beside the final
   * ones, labelled, as HTML ("Recommended: Command Discipline B · Final: Forfeit vacation 5 day(s)"); '' otherwise.
   */
  recommendation(a) {
    if (!a.recommendedFinding && !a.recommendedDiscipline) return '';
    const days = (kind, n) => (n ? this.t('discipline.days', { kind, n }) : kind);
    const recommended = [
      a.recommendedFinding ? this.value('finding', a.recommendedFinding) : null,
      a.recommendedDiscipline ? days(a.recommendedDisciplineText || this.value('discipline', a.recommendedDiscipline), a.recommendedDisciplineDays) : null,
    ].filter(Boolean).join(', ');
    const final = a.imposedDiscipline
      ? (a.imposedDisciplineText || days(this.value('discipline', a.imposedDiscipline), a.imposedDisciplineDays))
      : this.t('rec.pending');
    return `<span class="rec"><span>${esc(this.t('rec.recommended'))}: ${esc(recommended)}</span> · <span>${esc(this.t('rec.final'))}: ${esc(final)}</span></span>`;
  }
}

/* ------------------------------------------------ dashboards: shared code ---- */
const TIME = new Set(['year', 'month']);

/** A dashboard response's value for row i, column j (null when suppressed), and row i's total. */
function cell(data, i, j) {
  const v = data.cells?.[i]?.[j];
  return v === undefined ? null : v;
}

function rowTotal(data, i) {
  if (data.rowTotals && data.rowTotals[i] !== undefined) return data.rowTotals[i];
  return data.columns ? null : cell(data, i, 0);
}

/**
 * Whether row i is one value of the rows' dimension (so that it can be a filter): not a bin of several years or
 * months (grouping.time coarser than the rows' dimension), not the row of merged small groups.
 */
function single(data, i) {
  const time = data.grouping?.time;
  if (time && time !== data.rows.dimension) return false;
  return !data.merged?.[data.rows.values[i]];
}

/** Why the figure at row i (null: the column totals) and column j (null: the row total) is hidden: the API's reason, or null. */
function reasonOf(data, i, j) {
  return data.suppressed?.find((s) => s.row === i && s.column === j)?.reason ?? null;
}

/**
 * What the published figures already say of a hidden cell: in a row whose total is published and whose other hidden
 * cells are all below k (each at most k - 1), the one cell hidden to protect them (complementary) is at least the total
 * minus the published cells minus k - 1 for each of the others. Null unless that is at least k. Nothing new is told:
 * anyone can work it out from the answer.
 */
function lowerBound(data, i, j) {
  const k = data.k ?? 10;
  const total = rowTotal(data, i);
  if (cell(data, i, j) !== null || total === null || reasonOf(data, i, j) !== 'complementary') return null;
  const hidden = (data.suppressed || []).filter((s) => s.row === i && s.column !== null);
  if (hidden.some((s) => s.column !== j && s.reason !== 'belowThreshold')) return null;
  const shown = (data.cells?.[i] || []).reduce((a, v) => a + (v ?? 0), 0);
  const bound = total - shown - (k - 1) * (hidden.length - 1);
  return bound >= k ? bound : null;
}

/**
 * What is known of the hidden figure at row i and column j (either null for a total line): the lower bound the answer
 * gives (cells only), and whether it was hidden to protect others (complementary) rather than for being below k.
 */
function hiddenFigure(data, i, j) {
  return { bound: i === null || j === null ? null : lowerBound(data, i, j), complementary: reasonOf(data, i, j) === 'complementary' };
}

/** The published cells of column j over the rows ri (hidden cells count 0): what orders the series of a chart. */
function columnSum(data, ri, j) {
  return ri.reduce((a, i) => a + (cell(data, i, j) ?? 0), 0);
}

/** The part of row i's published total that is in suppressed cells (the API's suppressedParts), else 0. */
function notShown(data, i) {
  return data.suppressedParts?.[i] ?? 0;
}

/** A dashboard's title or description: from the strings table, else as the API's catalog gives it. */
function dashboardText(widget, name, prefix, field) {
  const key = `${prefix}.${name}`;
  if (STRINGS.en[key] || STRINGS[widget.language]?.[key]) return widget.t(key);
  const entry = widget.state?.catalog?.dashboards?.find((d) => d.name === name);
  return entry?.[field] || (field === 'title' ? widget.state?.data?.title || name : '');
}

/** The dashboard catalog (GET /api/dashboards): titles, descriptions, dimensions and options, fetched once. */
const catalog = (base) => getJson(`${base}/api/dashboards`).catch(() => null);

/* -------------------------------------------------------- <oc-dashboard> ----
 * One dashboard (GET /api/dashboards/{name}?filters) as an SVG bar chart (stacked when it has columns; columns over
 * time for year and month rows) with a table alternative. filters="year=2023&precinct=3" is its state: removing a
 * filter chip, drilling down (a bar, or a row of the table) and a linked <oc-map> all change that attribute, and
 * every change fires oc-filterchange. */
class Dashboard extends OcElement {
  static observedAttributes = ['lang', 'api', 'name', 'filters', 'view', 'for', 'heading-level'];

  get params() {
    return new URLSearchParams(this.getAttribute('filters') || '');
  }

  /** Sets (or with null removes) one filter: what a drill-down does. */
  setFilter(dimension, value, more = {}) {
    const p = this.params;
    if (value === null || value === undefined) p.delete(dimension);
    else p.set(dimension, value);
    for (const [k, v] of Object.entries(more)) p.set(k, v);
    this.setAttribute('filters', p.toString());
  }

  connectedCallback() {
    super.connectedCallback();
    this.watchWidth();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.resizing?.disconnect();
  }

  changed(name) {
    if (name === 'view' || name === 'heading-level') {
      this.render();
      return;
    }
    if (name === 'filters') this.emit('oc-filterchange', { filters: this.getAttribute('filters') || '' });
    if (name !== 'for') this.load();
  }

  async load() {
    const name = this.getAttribute('name');
    if (!name) {
      this.state = { error: 'dash.missing' };
      this.render();
      return;
    }
    const again = this.ready;
    this.ready = true;
    this.state = { data: this.state?.data, catalog: this.state?.catalog, loading: true };
    if (!this.state.data) this.render();
    const query = this.params.toString();
    try {
      const [data, cat] = await this.latest(Promise.all([getJson(`${this.base}/api/dashboards/${encodeURIComponent(name)}${query ? `?${query}` : ''}`), catalog(this.base)]));
      this.state = { data, catalog: cat };
      this.render();
      if (again) this.announce(this.t('dash.updated', { title: this.title(), filters: this.filterText(), total: this.totalText(data) }));
    } catch (e) {
      if (e.superseded) return;
      this.state = { error: 'error.load' };
      this.render();
      this.announce(this.t('error.load'));
    }
  }

  title() {
    return dashboardText(this, this.getAttribute('name'), 'd', 'title');
  }

  description() {
    return dashboardText(this, this.getAttribute('name'), 'dd', 'description');
  }

  filters() {
    return [...this.params].filter(([k]) => !OPTIONS.has(k));
  }

  filterText() {
    const f = this.filters();
    return f.length ? f.map(([k, v]) => this.t('dash.filterBy', { dimension: this.dimension(k), value: this.value(k, v, true) })).join(', ') : this.t('dash.allRecords');
  }

  totalText(data) {
    const total = data.total ?? (data.rowTotals || []).reduce((a, b) => a + (b ?? 0), 0);
    return this.measure(data.measure, total);
  }

  render() {
    this.keepFocus(() => this.draw());
  }

  draw() {
    const s = this.state || {};
    if (!s.data) {
      const key = s.error || 'loading';
      this.body.innerHTML = `<p class="${s.error ? 'err' : 'hint busy'}">${esc(this.t(key))}</p>`;
      return;
    }
    const d = s.data;
    const h = this.heading;
    const table = this.getAttribute('view') === 'table';
    const chips = this.filters().map(([k, v]) => {
      const label = this.t('dash.filterBy', { dimension: this.dimension(k), value: this.value(k, v, true) });
      return `<li>${esc(label)}<button type="button" data-remove="${esc(k)}" aria-label="${esc(this.t('dash.remove', { filter: label }))}">×</button></li>`;
    }).join('');
    const suppressed = (d.suppressed && d.suppressed.length) || (d.cells || []).some((r) => r.some((v) => v === null));
    const notes = (d.notes || []).length ? `<details><summary>${esc(this.t('dash.notes'))}</summary><ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details>` : '';
    this.body.innerHTML = `<section aria-labelledby="t"><${h} id="t">${esc(this.title())}</${h}>${this.description() ? `<p class="desc">${esc(this.description())}</p>` : ''}
<div class="bar"><span>${esc(this.t('dash.filters'))}</span>${chips ? `<ul class="chips">${chips}</ul><button type="button" class="link clear">${esc(this.t('dash.clear'))}</button>` : `<span class="meta">${esc(this.t('dash.allRecords'))}</span>`}</div>
<div class="bar"><button type="button" class="btn toggle" aria-controls="v">${esc(this.t(table ? 'dash.showChart' : 'dash.showTable'))}</button></div>
<div id="v"${s.loading ? ' class="busy"' : ''}>${d.durations ? (table ? this.durationsTableHtml(d) : this.durationsChartHtml(d)) : table ? this.tableHtml(d) : this.chartHtml(d)}</div>
${suppressed ? `<p class="note">${esc(this.t('dash.suppressedNote', { k: d.k ?? 10 }))}</p>` : ''}${notes}</section>`;
    this.wire();
  }

  wire() {
    this.body.querySelector('.toggle').addEventListener('click', () => {
      this.setAttribute('view', this.getAttribute('view') === 'table' ? 'chart' : 'table');
    });
    this.body.querySelectorAll('[data-remove]').forEach((b) => b.addEventListener('click', () => this.setFilter(b.dataset.remove, null)));
    this.body.querySelector('.clear')?.addEventListener('click', () => {
      const p = this.params;
      [...p.keys()].filter((k) => !OPTIONS.has(k)).forEach((k) => p.delete(k));
      this.setAttribute('filters', p.toString());
    });
    this.body.querySelectorAll('[data-drill]').forEach((el) => {
      el.addEventListener('click', () => this.drill(+el.dataset.drill));
      if (el.tagName === 'g') el.addEventListener('keydown', (e) => this.barKey(e, el));
    });
  }

  /** Arrow keys move between the bars (one tab stop), Enter and Space drill down. */
  barKey(e, el) {
    const bars = [...this.body.querySelectorAll('g[data-drill]')];
    const i = bars.indexOf(el);
    const next = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: bars.length - 1 }[e.key];
    if (next !== undefined) {
      e.preventDefault();
      const target = bars[Math.max(0, Math.min(bars.length - 1, next))];
      bars.forEach((b) => b.setAttribute('tabindex', b === target ? '0' : '-1'));
      target.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.drill(+el.dataset.drill);
    }
  }

  /** Whether the rows' dimension is one the API filters by (the catalog lists it): then rows drill down. */
  drillable(d) {
    return !!this.state?.catalog?.dimensions?.some((x) => x.name === d.rows.dimension);
  }

  /** The rows and columns to show: a filtered rows' dimension shows its one row; a column that is 0 throughout is left out. */
  shape(d) {
    const rows = d.rows?.values || [];
    const only = this.params.get(d.rows.dimension);
    let ri = rows.map((_, i) => i);
    if (only !== null && ri.some((i) => String(rows[i]) === only)) ri = ri.filter((i) => String(rows[i]) === only);
    const cols = d.columns?.values || null;
    const ci = cols ? cols.map((_, j) => j).filter((j) => !(d.columnTotals && d.columnTotals[j] === 0)) : null;
    return { rows, cols, ri, ci };
  }

  /** Drills into row i: the row's value becomes a filter of the dashboards for names (of this one without for). */
  drill(i) {
    const d = this.state.data;
    const dimension = d.rows.dimension;
    const value = String(d.rows.values[i]);
    if (!this.emit('oc-drilldown', { dimension, value, source: this.getAttribute('name') }, true)) return;
    const targets = this.hasAttribute('for') ? this.targets() : [this];
    // A year of a series by year opens that year by month.
    const entry = this.state.catalog?.dashboards?.find((x) => x.name === this.getAttribute('name'));
    const more = dimension === 'year' && entry?.options?.interval?.includes('month') ? { interval: 'month' } : {};
    targets.forEach((t) => t.setFilter?.(dimension, value, t === this ? more : {}));
  }

  chartHtml(d) {
    const { rows, cols, ri, ci } = this.shape(d);
    if (!ri.length) return `<p>${esc(this.t('map.noData'))}</p>`;
    const dim = d.rows.dimension;
    const k = d.k ?? 10;
    const drill = this.drillable(d);
    const can = (i) => drill && single(d, i);
    const firstDrill = ri.find(can);
    // At most 8 colours tell series apart: beyond 8 columns, the 7 largest and one segment of all the others (the table
    // keeps every column).
    const byTotal = ci ? [...ci].sort((a, b) => columnSum(d, ri, b) - columnSum(d, ri, a)) : null;
    const others = byTotal && byTotal.length > 8 ? byTotal.slice(7) : [];
    const series = ci ? (others.length ? ci.filter((j) => !others.includes(j)) : ci) : [0];
    const lengths = new Map(ri.map((i) => [i, rowTotal(d, i) ?? (ci || []).reduce((a, j) => a + (cell(d, i, j) ?? 0), 0)]));
    const max = Math.max(1, ...lengths.values());
    const labelOf = (i) => this.value(dim, rows[i]);
    const valueText = (i) => {
      const total = rowTotal(d, i);
      const parts = ci ? ci.map((j) => `${this.value(d.columns.dimension, cols[j])} ${this.figureText(d, i, j)}`).join(', ') : '';
      const head = total === null ? `<${k} (${this.t('dash.suppressed')})` : this.measure(d.measure, total);
      const hidden = restOf(i) ? `; ${this.t('dash.restShort', { n: this.num(restOf(i)) })}` : '';
      return parts ? `${head} (${parts}${hidden})` : head;
    };
    const barLabel = (i) => this.t('dash.bar', { label: labelOf(i), value: valueText(i) })
      + (can(i) ? '. ' + this.t('dash.drill', { filter: this.t('dash.filterBy', { dimension: this.dimension(dim), value: this.value(dim, rows[i], true) }) }) : '');
    // A row's known cells stacked, then the part of its total not shown (the API's suppressedParts: the total minus
    // the published cells), drawn as a hatched part of the same bar, never as a series of its own.
    let rest = false;
    // A hidden cell whose published figures already give "at least N" is drawn as N (its name says "at least"); the rest
    // of the total not shown is the hatched part.
    const bounded = (i) => (cols ? series.reduce((a, j) => a + (lowerBound(d, i, j) ?? 0), 0) : 0);
    const restOf = (i) => notShown(d, i) - bounded(i);
    const segs = (i, place) => {
      let at = 0;
      const out = series.map((j, n) => {
        const v = cols ? cell(d, i, j) ?? lowerBound(d, i, j) : rowTotal(d, i);
        if (!v) return '';
        const part = place(at, v, `s${n % 8}`);
        at += v;
        return part;
      });
      const rest7 = others.reduce((a, j) => a + (cell(d, i, j) ?? 0), 0);
      if (rest7 > 0) {
        out.push(place(at, rest7, 's7'));
        at += rest7;
      }
      if (cols && restOf(i) > 0) {
        rest = true;
        out.push(place(at, restOf(i), 'rest'));
      }
      return out.join('');
    };
    const shown = (i) => (rowTotal(d, i) === null ? `<${k}` : this.num(rowTotal(d, i)));
    // A bar's shapes in its group (the button or image, named by its label); its visible texts beside the group, hidden
    // from assistive technology, so the group's name is the whole of what it says (no visible text of its own to differ).
    const group = (i, n, inner, texts = '') => (can(i)
      ? `<g class="b" role="button" tabindex="${i === firstDrill ? 0 : -1}" data-drill="${i}" aria-label="${esc(barLabel(i))}">${inner}</g>`
      : `<g role="img" aria-label="${esc(barLabel(i))}">${inner}</g>`) + texts;
    const label = this.t('dash.chart', { title: this.title() });
    let svg;
    if (TIME.has(dim)) {
      // Columns over time: x is time, y the count; a label every few columns.
      const W = this.width(), H = 240, L = 44, B = 24, T = 10;
      const step = (W - L) / ri.length;
      const bw = Math.max(1, step * 0.8);
      const y = (v) => ((H - B - T) * v) / max;
      const every = Math.ceil(ri.length / Math.max(2, Math.floor(W / 64)));
      const bars = ri.map((i, n) => {
        const x = L + n * step + (step - bw) / 2;
        return group(i, n, `<rect class="hit" x="${x - (step - bw) / 2}" y="${T}" width="${step}" height="${H - B - T}"></rect>${segs(i, (at, v, c) => `<rect class="${c}" x="${x}" y="${H - B - y(at + v)}" width="${bw}" height="${Math.max(0.5, y(v))}"></rect>`)}`,
          n % every === 0 ? `<text class="lbl" x="${x + bw / 2}" y="${H - 8}" text-anchor="middle" aria-hidden="true">${esc(labelOf(i))}</text>` : '');
      }).join('');
      const ticks = [0, 0.5, 1].map((f) => `<line class="grid" x1="${L}" x2="${W}" y1="${H - B - y(max * f)}" y2="${H - B - y(max * f)}"></line><text class="lbl" x="${L - 6}" y="${H - B - y(max * f) + 4}" text-anchor="end" aria-hidden="true">${esc(this.num(Math.round(max * f)))}</text>`).join('');
      svg = `<svg viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(label)}">${ticks}${bars}<line class="axis" x1="${L}" x2="${W}" y1="${H - B}" y2="${H - B}"></line></svg>`;
    } else {
      // Horizontal bars: one row per value, the label on the left, the count at the end.
      const W = this.width(), BH = 22, G = 8, R = 64;
      const L = Math.min(W * 0.4, 14 + 7.2 * Math.max(...ri.map((i) => labelOf(i).length)));
      const x = (v) => ((W - L - R) * v) / max;
      const H = ri.length * (BH + G) + G;
      const bars = ri.map((i, n) => {
        const y = G + n * (BH + G);
        return group(i, n, `<rect class="hit" x="0" y="${y - G / 2}" width="${W}" height="${BH + G}"></rect>${segs(i, (at, v, c) => `<rect class="${c}" x="${L + x(at)}" y="${y}" width="${Math.max(0.5, x(v))}" height="${BH}"></rect>`)}`,
          `<text class="lbl" x="${L - 8}" y="${y + BH / 2 + 4}" text-anchor="end" aria-hidden="true">${esc(labelOf(i))}</text><text class="lbl" x="${L + x(lengths.get(i)) + 6}" y="${y + BH / 2 + 4}" aria-hidden="true">${esc(shown(i))}</text>`);
      }).join('');
      svg = `<svg viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(label)}">${bars}<line class="axis" x1="${L}" x2="${L}" y1="0" y2="${H}"></line></svg>`;
    }
    const legend = ci ? `<ul class="legend" aria-label="${esc(this.t('dash.legend'))}">${series.map((j, n) => `<li><span class="sw s${n % 8}"></span>${esc(this.value(d.columns.dimension, cols[j]))}</li>`).join('')}${others.length ? `<li><span class="sw s7"></span>${esc(this.t('dash.others', { n: others.length, names: others.map((j) => this.value(d.columns.dimension, cols[j])).join(', ') }))}</li>` : ''}${rest ? `<li><span class="sw rest"></span>${esc(this.t('dash.rest', { k }))}</li>` : ''}</ul>` : '';
    return svg + legend + this.groupingHtml(d) + this.unknownHtml(d);
  }

  /** A figure as text: its number, else what is known of it (below k; at least N; hidden to protect others). */
  figureText(d, i, j) {
    const v = cell(d, i, j);
    if (v !== null) return this.num(v);
    const known = hiddenFigure(d, i, j);
    return known.bound !== null ? this.t('dash.atLeast', { n: known.bound }) : known.complementary ? this.t('dash.hidden') : `<${d.k ?? 10}`;
  }

  /** A hidden figure in a table: "<10 (suppressed)", "≥ N" or "hidden", each with what it means in its title. */
  hiddenHtml(d, i, j) {
    const k = d.k ?? 10;
    const known = hiddenFigure(d, i, j);
    if (known.bound !== null) return `<abbr title="${esc(this.t('dash.atLeastTitle', { n: known.bound }))}">≥&nbsp;${esc(this.num(known.bound))}</abbr>`;
    if (known.complementary) return `<abbr title="${esc(this.t('dash.hiddenTitle', { k }))}">${esc(this.t('dash.hidden'))}</abbr>`;
    return `<abbr title="${esc(this.t('dash.suppressed'))}">&lt;${esc(k)}</abbr><span class="sr"> (${esc(this.t('dash.suppressed'))})</span>`;
  }

  /** A line saying that no record has a value of the columns' dimension (every count is Unknown): the source does not record it. */
  unknownHtml(d) {
    const cols = d.columns?.values;
    if (!cols || !d.columnTotals || !cols.includes('Unknown')) return '';
    const known = cols.some((c, j) => c !== 'Unknown' && d.columnTotals[j] !== 0);
    return known || !(d.columnTotals[cols.indexOf('Unknown')] > 0) ? '' : `<p class="grouped">${esc(this.t('dash.allUnknown', { dimension: this.dimension(d.columns.dimension).toLowerCase() }))}</p>`;
  }

  /** timelines: per row (all sources), the median days as a bar and the 90th percentile as a whisker beyond it. */
  durationsChartHtml(d) {
    const u = d.durations;
    const { rows, ri } = this.shape(d);
    if (!ri.length) return `<p>${esc(this.t('map.noData'))}</p>`;
    const k = d.k ?? 10;
    const labelOf = (i) => this.value(d.rows.dimension, rows[i]);
    const known = (v) => v !== null && v !== undefined;
    const text = (i) => (known(u.rowMedian[i])
      ? this.t('dur.row', { median: this.num(u.rowMedian[i]), p90: this.num(u.rowP90[i]), n: this.num(rowTotal(d, i)) })
      : this.t('dur.none', { k }));
    const W = this.width(), BH = 18, G = 10, R = Math.min(W * 0.45, 300);
    const L = Math.min(W * 0.3, 14 + 7.2 * Math.max(...ri.map((i) => labelOf(i).length)));
    const max = Math.max(1, ...ri.map((i) => u.rowP90[i] ?? 0));
    const x = (v) => ((W - L - R) * v) / max;
    const H = ri.length * (BH + G) + G;
    const bars = ri.map((i, n) => {
      const y = G + n * (BH + G);
      const m = u.rowMedian[i], p = u.rowP90[i];
      const inner = known(m)
        ? `<rect class="s0" x="${L}" y="${y}" width="${Math.max(0.5, x(m))}" height="${BH}"></rect><line class="p90" x1="${L + x(m)}" x2="${L + x(p)}" y1="${y + BH / 2}" y2="${y + BH / 2}"></line><line class="p90" x1="${L + x(p)}" x2="${L + x(p)}" y1="${y + 2}" y2="${y + BH - 2}"></line>`
        : '';
      return `<g role="img" aria-label="${esc(`${labelOf(i)}: ${text(i)}`)}">${inner}</g><text class="lbl" x="${L - 8}" y="${y + BH / 2 + 4}" text-anchor="end" aria-hidden="true">${esc(labelOf(i))}</text><text class="lbl" x="${L + x(known(p) ? p : 0) + 6}" y="${y + BH / 2 + 4}" aria-hidden="true">${esc(known(m) ? `${this.num(m)} / ${this.num(p)}` : this.t('dur.none', { k }))}</text>`;
    }).join('');
    const label = `${this.t('dash.chart', { title: this.title() })}. ${this.t(`dur.to.${u.to}`)}`;
    const svg = `<svg viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(label)}">${bars}<line class="axis" x1="${L}" x2="${L}" y1="0" y2="${H}"></line></svg>`;
    const legend = `<ul class="legend"><li><span class="sw s0"></span>${esc(this.t('dur.legendMedian'))}</li><li><span class="sw p90"></span>${esc(this.t('dur.legendP90'))}</li></ul>`;
    return `<p class="meta">${esc(this.t(`dur.to.${u.to}`))}</p>${svg}${legend}${this.groupingHtml(d)}`;
  }

  /** timelines as a table: per row, each source's and all sources' complaints, median and 90th percentile of days. */
  durationsTableHtml(d) {
    const u = d.durations;
    const { rows, cols, ri, ci } = this.shape(d);
    const k = d.k ?? 10;
    const hidden = `<abbr title="${esc(this.t('dash.suppressed'))}">&lt;${esc(k)}</abbr><span class="sr"> (${esc(this.t('dash.suppressed'))})</span>`;
    const show = (v) => (v === null || v === undefined ? hidden : esc(this.num(v)));
    const groups = [...ci.map((j) => ({ j, name: this.value(d.columns.dimension, cols[j]), n: (i) => cell(d, i, j), m: (i) => u.median[i][j], p: (i) => u.p90[i][j] })),
      { j: null, name: this.t('dash.total'), n: (i) => rowTotal(d, i), m: (i) => u.rowMedian[i], p: (i) => u.rowP90[i] }];
    const sub = ['dur.count', 'dur.median', 'dur.p90'].map((key) => `<th scope="col" class="n">${esc(this.t(key))}</th>`).join('');
    const head = `<tr><td></td>${groups.map((g) => `<th scope="colgroup" colspan="3">${esc(g.name)}</th>`).join('')}</tr><tr><th scope="col">${esc(this.dimension(d.rows.dimension))}</th>${groups.map(() => sub).join('')}</tr>`;
    const body = ri.map((i) => `<tr><th scope="row">${esc(this.value(d.rows.dimension, rows[i]))}</th>${groups.map((g) => `<td class="n">${g.n(i) === null ? this.hiddenHtml(d, i, g.j) : show(g.n(i))}</td><td class="n">${g.n(i) === null || g.n(i) === 0 ? '' : show(g.m(i))}</td><td class="n">${g.n(i) === null || g.n(i) === 0 ? '' : show(g.p(i))}</td>`).join('')}</tr>`).join('');
    return `<div class="wrap" tabindex="0" role="region" aria-label="${esc(this.title())}"><table><caption>${esc(this.title())}: ${esc(this.t(`dur.to.${u.to}`))} (${esc(this.filterText())})</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>${this.groupingHtml(d)}`;
  }

  /** What the grouping of the rows is, when it is not one row per value: a visible line under the chart and the table. */
  groupingHtml(d) {
    const k = d.k ?? 10;
    const measure = STRINGS.en[`measure.word.${d.measure}`] ? this.t(`measure.word.${d.measure}`) : d.measure;
    const time = d.grouping?.time;
    const lines = [];
    if (time && time !== d.rows.dimension && STRINGS.en[`dash.grouped.${time}`]) lines.push(this.t(`dash.grouped.${time}`, { k, measure }));
    const last = String(d.rows.values?.[d.rows.values.length - 1] ?? '');
    if (d.dataThrough && d.rows.dimension === 'year' && last.endsWith(d.dataThrough.slice(0, 4))) lines.push(this.t('dash.partial', { month: formatDate(this.language, d.dataThrough) }));
    for (const [label, members] of Object.entries(d.merged || {})) {
      lines.push(this.t('dash.grouped.merged', { k, measure, label: this.value(d.rows.dimension, label), members: members.map((m) => this.value(d.rows.dimension, m)).join(', ') }));
    }
    return lines.map((l) => `<p class="grouped">${esc(l)}</p>`).join('');
  }

  tableHtml(d) {
    const { rows, cols, ri, ci } = this.shape(d);
    const dim = d.rows.dimension;
    const k = d.k ?? 10;
    const drill = this.drillable(d);
    const parts = ci && ri.some((i) => notShown(d, i) > 0);
    const show = (v, i, j) => (v === null || v === undefined ? this.hiddenHtml(d, i, j) : esc(this.num(v)));
    const head = `<tr><th scope="col">${esc(this.dimension(dim))}</th>${ci ? ci.map((j) => `<th scope="col" class="n">${esc(this.value(d.columns.dimension, cols[j]))}</th>`).join('') : ''}<th scope="col" class="n">${esc(this.t('dash.total'))}</th>${parts ? `<th scope="col" class="n">${esc(this.t('dash.notShown'))}</th>` : ''}</tr>`;
    const body = ri.map((i) => {
      const label = this.value(dim, rows[i]);
      const filter = this.t('dash.filterBy', { dimension: this.dimension(dim), value: this.value(dim, rows[i], true) });
      const th = drill && single(d, i) ? `<button type="button" class="link" data-drill="${i}" aria-label="${esc(label)}. ${esc(this.t('dash.drill', { filter }))}">${esc(label)}</button>` : esc(label);
      return `<tr><th scope="row">${th}</th>${ci ? ci.map((j) => `<td class="n">${show(cell(d, i, j), i, j)}</td>`).join('') : ''}<td class="n tot">${show(rowTotal(d, i), i, ci ? null : 0)}</td>${parts ? `<td class="n part">${rowTotal(d, i) === null ? '' : esc(this.num(notShown(d, i)))}</td>` : ''}</tr>`;
    }).join('');
    const foot = ci && d.columnTotals ? `<tfoot><tr><th scope="row">${esc(this.t('dash.total'))}</th>${ci.map((j) => `<td class="n">${show(d.columnTotals[j], null, j)}</td>`).join('')}<td class="n">${d.total === undefined ? '' : show(d.total, null, null)}</td>${parts ? '<td></td>' : ''}</tr></tfoot>` : '';
    return `<div class="wrap"><table><caption>${esc(this.title())} (${esc(this.filterText())})</caption><thead>${head}</thead><tbody>${body}</tbody>${foot}</table></div>${this.groupingHtml(d)}${this.unknownHtml(d)}`;
  }
}

/* --------------------------------------------------------------- <oc-map> ----
 * A choropleth of the precincts: the GeoJSON of their boundaries (geojson attribute; by default the API host's
 * /widgets/precincts.geojson) joined on properties.precinct (property attribute) to the rows of a dashboard
 * (allegations-map unless dashboard says otherwise). Each precinct is a button: click, Enter or Space filters the
 * dashboards that for names by that precinct (again: removes the filter), and fires oc-drilldown. */
class PrecinctMap extends OcElement {
  static observedAttributes = ['lang', 'api', 'geojson', 'filters', 'for', 'dashboard', 'property', 'view', 'heading-level'];

  constructor() {
    super();
    this.onFilters = (e) => {
      // A linked dashboard's precinct filter removed or changed elsewhere: follow it.
      if (!this.targets().includes(e.target)) return;
      const v = new URLSearchParams(e.detail.filters).get('precinct');
      if ((v ?? null) !== (this.selected ?? null)) {
        this.selected = v ?? null;
        this.render();
      }
    };
  }

  connectedCallback() {
    super.connectedCallback();
    this.watchWidth();
    document.addEventListener('oc-filterchange', this.onFilters);
    // The labels' colours are chosen from the regions' fills as drawn: drawn again when high contrast is switched.
    this.contrast = window.matchMedia?.('(forced-colors: active)');
    this.onContrast = () => this.render();
    this.contrast?.addEventListener?.('change', this.onContrast);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.resizing?.disconnect();
    document.removeEventListener('oc-filterchange', this.onFilters);
    this.contrast?.removeEventListener?.('change', this.onContrast);
  }

  changed(name) {
    if (name === 'view' || name === 'heading-level') this.render();
    else if (name !== 'for') this.load();
  }

  /** The geojson attribute, else the boundaries beside this script (/widgets/ on the server, /api/widgets/ in Azure), else at api. */
  get geojsonUrl() {
    const attr = this.getAttribute('geojson');
    if (attr) return new URL(attr, document.baseURI).href;
    return this.hasAttribute('api') ? `${this.base}/widgets/precincts.geojson` : new URL('precincts.geojson', SCRIPT_URL).href;
  }

  async load() {
    const name = this.getAttribute('dashboard') || 'allegations-map';
    const query = new URLSearchParams(this.getAttribute('filters') || '').toString();
    if (this.selected === undefined) {
      this.selected = this.targets().map((t) => new URLSearchParams(t.getAttribute('filters') || '').get('precinct')).find(Boolean) ?? null;
    }
    this.state = { data: this.state?.data, geo: this.state?.geo, catalog: this.state?.catalog, loading: true };
    if (!this.state.data) this.render();
    try {
      const [geo, data, cat] = await this.latest(Promise.all([
        getJson(this.geojsonUrl).catch(() => null),
        getJson(`${this.base}/api/dashboards/${encodeURIComponent(name)}${query ? `?${query}` : ''}`),
        catalog(this.base),
      ]));
      this.state = { geo, data, catalog: cat };
      this.render();
    } catch (e) {
      if (e.superseded) return;
      this.state = { error: 'error.load' };
      this.render();
      this.announce(this.t('error.load'));
    }
  }

  get property() {
    return this.getAttribute('property') || 'precinct';
  }

  title() {
    return dashboardText(this, this.getAttribute('dashboard') || 'allegations-map', 'd', 'title');
  }

  /** precinct -> {value (null: suppressed), known} from the dashboard's rows. */
  values() {
    const d = this.state.data;
    const map = new Map();
    (d.rows?.values || []).forEach((v, i) => map.set(String(v), rowTotal(d, i)));
    return map;
  }

  render() {
    this.keepFocus(() => this.draw());
  }

  draw() {
    const s = this.state || {};
    if (!s.data) {
      this.body.innerHTML = `<p class="${s.error ? 'err' : 'hint busy'}">${esc(this.t(s.error || 'loading'))}</p>`;
      return;
    }
    const d = s.data;
    const h = this.heading;
    const values = this.values();
    const known = [...values.values()].filter((v) => v !== null && v !== undefined);
    const min = Math.min(...known, 0);
    const max = Math.max(...known, 1);
    const classOf = (v) => (v === undefined ? 'qn' : v === null ? 'qs' : `q${max === min ? 2 : Math.min(4, Math.floor(((v - min) / (max - min)) * 5))}`);
    const describe = (v) => (v === undefined ? this.t('map.noData') : v === null ? `<${d.k ?? 10} (${this.t('dash.suppressed')})` : this.measure(d.measure, v));
    const table = this.getAttribute('view') === 'table';
    let view;
    if (table || !s.geo) {
      const rows = [...values.entries()].map(([p, v]) => `<tr><th scope="row"><button type="button" class="link" data-p="${esc(p)}" aria-pressed="${p === this.selected}">${esc(this.t('precinct', { name: p }))}</button></th><td class="n">${v === null ? `&lt;${esc(d.k ?? 10)} <span class="sr">(${esc(this.t('dash.suppressed'))})</span>` : esc(this.num(v))}</td></tr>`).join('');
      view = `${s.geo ? '' : `<p class="err">${esc(this.t('map.noBoundaries'))}</p>`}<div class="wrap"><table><caption>${esc(this.title())}</caption><thead><tr><th scope="col">${esc(this.dimension('precinct'))}</th><th scope="col" class="n">${esc(this.t('dash.total'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    } else {
      view = this.svg(s.geo, values, classOf, describe);
    }
    const steps = max === min ? [] : [0, 1, 2, 3, 4].map((q) => `<li><span class="sw q${q}"></span>${esc(this.num(Math.round(min + ((max - min) * q) / 5)))}–${esc(this.num(Math.round(min + ((max - min) * (q + 1)) / 5)))}</li>`).join('');
    const legend = `<ul class="legend" aria-label="${esc(this.t('map.legend'))}">${steps}${known.length < values.size ? `<li><span class="sw qs"></span>&lt;${esc(d.k ?? 10)} (${esc(this.t('dash.suppressed'))})</li>` : ''}</ul>`;
    this.body.innerHTML = `<section aria-labelledby="t"><${h} id="t">${esc(this.title())}</${h}>
<div class="bar"><button type="button" class="btn toggle" aria-controls="v">${esc(this.t(table ? 'dash.showChart' : 'dash.showTable'))}</button></div>
<div id="v"${s.loading ? ' class="busy"' : ''}>${view}</div>${table ? '' : legend}</section>`;
    this.body.querySelector('.toggle').addEventListener('click', () => this.setAttribute('view', table ? 'map' : 'table'));
    // Each label in the colour that reads best on its region's fill as drawn (whatever the theme's scale): black, or
    // white with a dark halo, whichever contrasts more (WCAG relative luminance).
    this.body.querySelectorAll('text[data-lp]').forEach((label) => {
      const region = this.body.querySelector(`path[data-p="${CSS_ESCAPE(label.dataset.lp)}"]`);
      // Computed as rgb(0-255) or, for a color-mix(), as color(srgb 0-1 0-1 0-1).
      const fill = region ? getComputedStyle(region).fill : '';
      const rgb = fill.match(/[\d.]+/g);
      if (!rgb || rgb.length < 3) return;
      const scale = fill.startsWith('color(') ? 1 : 255;
      const lum = rgb.slice(0, 3).map((c) => { const x = c / scale; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
      const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
      label.classList.toggle('on-dark', 1.05 / (l + 0.05) > (l + 0.05) / 0.05);
    });
    this.body.querySelectorAll('[data-p]').forEach((el) => {
      el.addEventListener('click', () => this.select(el.dataset.p));
      if (el.tagName === 'path') {
        el.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.select(el.dataset.p);
          }
        });
      }
    });
  }

  svg(geo, values, classOf, describe) {
    const W = this.width(), P = 8;
    const features = (geo.features || []).filter((f) => f.geometry && /Polygon$/.test(f.geometry.type));
    const polygons = (f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    features.forEach((f) => polygons(f).forEach((poly) => poly.forEach((ring) => ring.forEach(([x, y]) => {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }))));
    // Equirectangular, longitudes shrunk by the cosine of the middle latitude, fitted to the box and centred.
    const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180) || 1;
    const H = Math.round(Math.min(560, Math.max(160, (W * (y1 - y0)) / (((x1 - x0) * k) || 1))));
    const scale = Math.min((W - 2 * P) / (((x1 - x0) * k) || 1), (H - 2 * P) / ((y1 - y0) || 1));
    const ox = (W - (x1 - x0) * k * scale) / 2;
    const oy = (H - (y1 - y0) * scale) / 2;
    const pt = ([x, y]) => [ox + (x - x0) * k * scale, oy + (y1 - y) * scale];
    const r2 = (n) => Math.round(n * 100) / 100;
    const paths = features.map((f) => {
      const p = String(f.properties?.[this.property] ?? '');
      let best = null;
      const d = polygons(f).map((poly) => poly.map((ring) => {
        const pts = ring.map(pt);
        // The label goes at the centroid of the largest ring.
        let a = 0, cx = 0, cy = 0;
        for (let i = 0; i < pts.length - 1; i++) {
          const c = pts[i][0] * pts[i + 1][1] - pts[i + 1][0] * pts[i][1];
          a += c; cx += (pts[i][0] + pts[i + 1][0]) * c; cy += (pts[i][1] + pts[i + 1][1]) * c;
        }
        if (a && (!best || Math.abs(a) > Math.abs(best.a))) best = { a, x: cx / (3 * a), y: cy / (3 * a) };
        return 'M' + pts.map(([x, y]) => `${r2(x)},${r2(y)}`).join('L') + 'Z';
      }).join('')).join('');
      const v = values.has(p) ? values.get(p) : undefined;
      const name = this.t('precinct', { name: p });
      const label = this.t('map.region', { name, value: describe(v) });
      const shownValue = v === undefined ? '' : v === null ? `<${this.state.data.k ?? 10}` : this.num(v);
      const text = best ? `<text class="lbl" data-lp="${esc(p)}" x="${r2(best.x)}" y="${r2(best.y)}" text-anchor="middle" aria-hidden="true"><tspan class="pn">${esc(p)}</tspan><tspan x="${r2(best.x)}" dy="16">${esc(shownValue)}</tspan></text>` : '';
      const sel = p === this.selected ? `<path class="sel" d="${d}" aria-hidden="true"></path>` : '';
      return { path: `<path class="region ${classOf(v)}" d="${d}" fill-rule="evenodd" role="button" tabindex="0" data-p="${esc(p)}" aria-pressed="${p === this.selected}" aria-label="${esc(label)}"></path>`, text, sel };
    });
    // The selected precinct's outline is drawn again above its neighbours, which would otherwise cover part of it.
    return `<svg viewBox="0 0 ${W} ${H}" role="group" aria-label="${esc(this.t('map.label', { title: this.title() }))}">${paths.map((x) => x.path).join('')}${paths.map((x) => x.sel).join('')}${paths.map((x) => x.text).join('')}</svg>`;
  }

  /** Selects a precinct (again: clears it) and filters the linked dashboards. */
  select(p) {
    const value = this.selected === p ? null : p;
    if (!this.emit('oc-drilldown', { dimension: 'precinct', value, source: this.getAttribute('dashboard') || 'allegations-map' }, true)) return;
    this.selected = value;
    this.render();
    this.targets().forEach((t) => t.setFilter?.('precinct', value));
    this.announce(value === null ? this.t('map.cleared') : this.t('map.selected', { name: this.t('precinct', { name: value }) }));
  }
}

const CSS_ESCAPE = (s) => (window.CSS?.escape ? window.CSS.escape(s) : s.replace(/["\\]/g, '\\$&'));

/* ----------------------------------------------------------- registration ---- */

/** Adds or completes a language: addStrings('fr', {'search.label': '...', ...}); missing keys fall back to English. */
export function addStrings(lang, table) {
  STRINGS[lang] = { ...(STRINGS[lang] || {}), ...table };
  widgets.forEach((w) => { w.language = null; w.relanguage(); });
}

export const strings = STRINGS;

for (const [name, type] of [['oc-officer-search', OfficerSearch], ['oc-officer-history', OfficerHistory], ['oc-dashboard', Dashboard], ['oc-map', PrecinctMap]]) {
  if (!customElements.get(name)) customElements.define(name, type);
}

window.OpenConduct = window.OpenConduct || { strings: STRINGS, addStrings };
