import type { Command } from 'commander';
import {
  clientCommand,
  finishClientCommand,
  runWith,
  type CliContext,
  type ConnectionOptions,
} from '../cli-context.js';
import type { Flag } from '@switchyard/core';
import { InvalidInputError, type FieldProblem } from '../cli-errors.js';
import { readDocument, sourceName } from '../document-file.js';
import {
  environmentsUsed,
  flagsOfDocument,
  planImport,
  validateAll,
  type ImportAction,
  type PlannedChange,
} from '../flag-import-plan.js';

interface ImportOptions extends ConnectionOptions {
  file: string;
  dryRun?: boolean;
  prune?: boolean;
}

const ACTIONS: ImportAction[] = ['create', 'update', 'delete', 'unchanged'];

export function registerImportCommand(program: Command): void {
  const command = clientCommand(program, 'import', { env: false })
    .description('make the relay hold the flags of a JSON or YAML file: validates all first, then applies; idempotent')
    .requiredOption('-f, --file <path>', 'the file (as `switchyard export` writes it); - for stdin')
    .option('--dry-run', 'validate and show what would change, change nothing')
    .option('--prune', 'also delete flags the relay has and the file does not');
  finishClientCommand(command, [
    'switchyard import --file flags.yaml --dry-run',
    'switchyard import --file flags.yaml',
    'switchyard export --relay-url http://old:8080 | switchyard import --file - --relay-url http://new:8080',
  ]);
  command.action(
    runWith<ImportOptions>(async (context, options) => {
      const { flags, problems } = validateAll(
        flagsOfDocument(await readDocument(options.file), sourceName(options.file)),
      );
      problems.push(...(await environmentProblems(context, flags)));
      if (problems.length > 0) {
        if (context.out.jsonMode) context.out.json({ problems });
        throw new InvalidInputError(problems, 'invalid flags', sourceName(options.file));
      }
      const plan = planImport(flags, await context.api.listFlags({}), Boolean(options.prune));
      const affected = options.dryRun ? undefined : await apply(context, plan);
      report(context, plan, affected);
    }),
  );
}

/** The relay's own answer on each environment the file configures: it refuses flags in environments it does not have. */
async function environmentProblems({ api }: CliContext, flags: Flag[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [environment, paths] of environmentsUsed(flags)) {
    const refusal = await api.checkEnvironment(environment);
    if (refusal === undefined) continue;
    const answer = refusal.problems[0];
    for (const path of paths) {
      problems.push({
        path,
        expected: answer?.expected ?? 'an environment the relay has',
        message: `the relay has no environment "${environment}"`,
      });
    }
  }
  return problems;
}

/**
 * Writes in plan order; each write names the version read, so a concurrent edit stops the import with a conflict.
 * Answers, per flag written, the environments the relay says the write affected.
 */
async function apply({ api }: CliContext, plan: PlannedChange[]): Promise<Map<string, string[]>> {
  const affected = new Map<string, string[]>();
  for (const change of plan) {
    if (change.action === 'create' && change.flag)
      affected.set(change.name, (await api.createFlag(change.flag)).affectedEnvironments ?? []);
    if (change.action === 'update' && change.flag) {
      affected.set(
        change.name,
        (await api.replaceFlag(change.name, change.flag, change.readVersion ?? 0)).affectedEnvironments ?? [],
      );
    }
    if (change.action === 'delete')
      affected.set(change.name, await api.deleteFlag(change.name, change.readVersion ?? 0));
  }
  return affected;
}

/** `affected` undefined: a dry run (nothing written). */
function report({ out }: CliContext, plan: PlannedChange[], affected: Map<string, string[]> | undefined): void {
  const dryRun = affected === undefined;
  const counts = Object.fromEntries(
    ACTIONS.map((action) => [action, plan.filter((change) => change.action === action).length]),
  );
  if (out.jsonMode) {
    const names = (action: ImportAction) =>
      plan.filter((change) => change.action === action).map((change) => change.name);
    const written = {
      created: names('create'),
      updated: names('update'),
      deleted: names('delete'),
      unchanged: names('unchanged'),
    };
    return out.json(
      dryRun ? { dryRun, ...written } : { dryRun, ...written, affectedEnvironments: Object.fromEntries(affected) },
    );
  }
  out.table(
    [
      { header: 'FLAG', value: (change: PlannedChange) => change.name },
      { header: dryRun ? 'WOULD' : 'DONE', value: (change: PlannedChange) => actionText(change.action, dryRun) },
      ...(dryRun
        ? []
        : [
            {
              header: 'AFFECTED ENVIRONMENTS',
              value: (change: PlannedChange) => affected.get(change.name)?.join(', ') || out.dim('none'),
            },
          ]),
    ],
    plan.filter((change) => change.action !== 'unchanged'),
    'nothing to change: the relay already holds these flags',
  );
  const prefix = dryRun ? 'Dry run, nothing written: would have' : 'Import done:';
  out.line(
    `${prefix} ${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ${counts.unchanged} unchanged.`,
  );
}

function actionText(action: ImportAction, dryRun: boolean): string {
  const past: Record<ImportAction, string> = {
    create: 'created',
    update: 'updated',
    delete: 'deleted',
    unchanged: 'unchanged',
  };
  return dryRun ? action : past[action];
}
