/** Reporting: plotly figures (PNG via headless Chromium + plotly JSON), tables, HTML reports, notebook display. */
export * from './figures';
export { figureToPng, type PngOptions } from './png';
export { closeBrowser, chromiumPath, CHROMIUM_ARGS } from './browser';
export * from './tables';
export { markdownToHtml } from './markdown';
export { writeHtmlReport, renderHtmlReport, type HtmlReport, type ReportSection } from './html-report';
export { showFigure, showTable, showMarkdown } from './display';
export * from './data-inventory';
export { decodePng, inkFraction, type PngImage } from './pngPixels';
export { checkExecutedNotebook, type NotebookCheck, type NotebookCheckOptions } from './notebookCheck';
