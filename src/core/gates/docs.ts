// The gate catalogue as a Markdown table, for the README (a test keeps the two in step).
import { GATES } from '../../model/catalogue';

export function renderGateCatalogue(): string {
  const rows = GATES.map((g) => {
    const when = 'area' in g && g.area ? `\`${g.area}\`` : 'always';
    return `| \`${g.id}\` | ${when} | ${g.checks} | ${g.fix} |`;
  });
  return ['| gate id | runs when the stage requires | what it checks | how to fix |', '|---|---|---|---|', ...rows].join('\n');
}
