// The start-up control of bench/startup.mjs: the smallest action written the usual way, with
// @actions/core and @actions/github. It does what every action does at start (an input, an
// octokit, the run's context, an output, a log line) and makes no request. bench/startup.mjs
// builds it with the same ncc settings as the real action (scripts/build.mjs).
import * as core from '@actions/core';
import * as github from '@actions/github';

const token = core.getInput('github-token');
const octokit = github.getOctokit(token);
const { eventName, repo } = github.context;
core.setOutput('verdict', 'pass');
core.info(`control: ${eventName} on ${repo.owner}/${repo.repo} (octokit ${typeof octokit.rest.repos.get})`);
