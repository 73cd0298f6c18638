// The action's inputs. action.yml sets no defaults that would override the policy file;
// the defaults live here.
import { getInput } from './runner';
import type { CommentMode } from '../github/comments';
import { DEFAULT_POLICY_PATH } from '../config/policy/default';


export interface Inputs {
  token: string;
  manifests: string[];
  policy: string;
  comment: CommentMode;
  checkName: string;
  branch?: string;
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const comment = (getInput('comment', env) || 'always').trim();
  if (comment !== 'always' && comment !== 'on-failure' && comment !== 'never') {
    throw new Error(`input comment: expected always | on-failure | never, found "${comment}"`);
  }
  const policy = getInput('policy', env).trim();
  const branch = getInput('branch', env).trim();
  // An absent input means the default name; an input set to "" means no check run.
  const checkNameRaw = env['INPUT_CHECK-NAME'];
  return {
    token: getInput('github-token', env) || env.GITHUB_TOKEN || '',
    manifests: splitList(getInput('manifests', env) || 'lastmile.yml'),
    policy: policy || DEFAULT_POLICY_PATH,
    comment,
    checkName: checkNameRaw === undefined ? 'Last Mile gates' : checkNameRaw.trim(),
    ...(branch ? { branch } : {}),
  };
}
