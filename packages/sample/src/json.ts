const LINE_WIDTH = 110;

/**
 * Pretty JSON in the repository's formatter style: objects one key per line, arrays of plain values on
 * one line when they fit in 110 columns. Keeps truth files readable and formatter-clean.
 */
export function prettyJson(value: unknown): string {
  return `${format(value, '', 0)}\n`;
}

function format(value: unknown, indent: string, prefix: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => item === null || typeof item !== 'object')) {
      const line = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (indent.length + prefix + line.length + 1 <= LINE_WIDTH) return line;
    }
    return `[\n${value.map((item) => inner + format(item, inner, 0)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => {
    const head = `${JSON.stringify(key)}: `;
    return inner + head + format(item, inner, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
