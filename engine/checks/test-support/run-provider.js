#!/usr/bin/env node
'use strict';
/**
 * Runs the gerrit-ml-checks provider against a real Gerrit, as Gerrit's Checks tab would, and prints what it returns.
 *
 *   node run-provider.js --url U --user X --password P --project Pr --change N --patchset P
 *       [--config JSON] [--plugin FILE] [--action Stop|Rerun --check NAME --attempt K]
 *
 * Without --action it prints the FetchResponse as JSON on stdout (callbacks dropped, Dates as ISO-8601). With
 * --action it fetches, finds that action on the run (check NAME, attempt K), invokes its callback as the web UI does
 * and prints the ActionResult. --config is merged over the configuration at the top of the plugin file.
 *
 * Exit codes: 0 printed; 1 the fetch answered ERROR or the action failed; 2 bad arguments; 3 no such run or action.
 */

const path = require('node:path');
const {parseArgs} = require('node:util');
const {pluginApi, toJson} = require('./gerrit-rest-plugin-api.js');

/** @param {string} message @param {number} code @returns {never} */
function fail(message, code) {
  process.stderr.write('run-provider: ' + message + '\n');
  process.exit(code);
}

async function main() {
  /** @type {Record<string, string | undefined>} */
  let args;
  try {
    args = /** @type {Record<string, string | undefined>} */ (parseArgs({
      options: {
        url: {type: 'string'}, user: {type: 'string'}, password: {type: 'string'},
        project: {type: 'string'}, change: {type: 'string'}, patchset: {type: 'string'},
        config: {type: 'string'}, plugin: {type: 'string'},
        action: {type: 'string'}, check: {type: 'string'}, attempt: {type: 'string'},
      },
      strict: true,
    }).values);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e), 2);
  }
  for (const required of ['url', 'user', 'password', 'project', 'change', 'patchset']) {
    if (!args[required]) {
      return fail('--' + required + ' is required', 2);
    }
  }
  const change = Number(args.change);
  const patchset = Number(args.patchset);
  if (!Number.isInteger(change) || !Number.isInteger(patchset)) {
    return fail('--change and --patchset are numbers', 2);
  }
  if (args.action && (!args.check || !args.attempt)) {
    return fail('--action needs --check and --attempt', 2);
  }
  const pluginFile = path.resolve(args.plugin || path.join(__dirname, '..', 'src', 'gerrit-ml-checks.js'));
  const checks = require(pluginFile);
  /** @type {object} */
  let override = {};
  if (args.config) {
    try {
      override = JSON.parse(args.config);
    } catch (e) {
      return fail('--config is not JSON: ' + args.config, 2);
    }
  }
  const plugin = pluginApi({url: String(args.url), user: String(args.user), password: String(args.password)});
  checks.register(plugin, Object.assign({}, checks.CONFIG, override));
  const provider = plugin.registered.provider;
  if (!provider) {
    return fail(pluginFile + ' registered no checks provider', 1);
  }
  const response = await provider.fetch({
    changeNumber: change,
    patchsetNumber: patchset,
    patchsetSha: '',
    repo: String(args.project),
    changeInfo: /** @type {any} */ ({project: args.project, _number: change}),
  });
  if (!args.action) {
    process.stdout.write(toJson(response) + '\n');
    process.exitCode = response.responseCode === 'OK' ? 0 : 1;
    return;
  }
  if (response.responseCode !== 'OK') {
    process.stdout.write(toJson(response) + '\n');
    return fail('fetch answered ' + response.responseCode + ': ' + response.errorMessage, 1);
  }
  const attempt = Number(args.attempt);
  const run = (response.runs || []).find((r) => r.checkName === args.check && r.attempt === attempt);
  if (!run) {
    return fail('no run of check "' + args.check + '" attempt ' + attempt + ' on patch set ' + patchset, 3);
  }
  const action = (run.actions || []).find((a) => a.name === args.action);
  if (!action) {
    return fail('run "' + args.check + '" attempt ' + attempt + ' (' + run.status + ') has no action '
      + args.action + '; it has ' + JSON.stringify((run.actions || []).map((a) => a.name)), 3);
  }
  const result = await action.callback(change, patchset, run.attempt, run.externalId, run.checkName, action.name);
  process.stdout.write(toJson(result || {}) + '\n');
  process.exitCode = result && result.shouldReload ? 0 : 1;
}

main().catch((e) => fail(e instanceof Error ? e.stack || e.message : String(e), 1));
