// The report of one result, as results-writer.ts writes it: latest.md and latest.svg.
export { renderMarkdown } from './report-markdown';
export { renderSvg } from './report-svg';
export { CONFIG_TITLES, ENDPOINT_TITLES } from './report-endpoints';
export { fmtMs, fmtNum } from './report-format';
