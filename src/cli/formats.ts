/** The report formats every checking command offers. */
export const reportFormats = ['text', 'json', 'sarif', 'junit', 'github', 'ndjson', 'html'];
