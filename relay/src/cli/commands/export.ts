import type { Command } from 'commander';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { formatOf, serializeDocument, writeDocument } from '../document-file.js';
import { exportedFlag } from '../flag-import-plan.js';

interface ExportOptions extends ConnectionOptions {
  output?: string;
  format?: string;
}

export function registerExportCommand(program: Command): void {
  const command = clientCommand(program, 'export', { env: ENV_SHOWN })
    .description('write every flag, canonical and sorted by name, as JSON or YAML (for backups and GitOps)')
    .option('-o, --output <path>', 'file to write (default: stdout)')
    .option('--format <format>', 'json or yaml (default: from the file extension, else json)');
  finishClientCommand(command, [
    'switchyard export --output flags.yaml',
    'switchyard export --format yaml > flags.yaml',
    'switchyard export --env staging --output staging-flags.json',
  ]);
  command.action(
    runWith<ExportOptions>(async ({ api, env }, options) => {
      const format = formatOf(options.output, options.json ? 'json' : options.format);
      const flags = (await api.listFlags({ environment: env })).map(exportedFlag);
      flags.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
      await writeDocument(options.output, serializeDocument({ flags }, format));
      if (options.output !== undefined && options.output !== '-') {
        process.stderr.write(`Exported ${flags.length} flag(s) to ${options.output}.\n`);
      }
    }),
  );
}
