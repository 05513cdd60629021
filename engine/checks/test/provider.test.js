'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const checks = require('../src/gerrit-ml-checks.js');
const {JENKINS, BOB, message} = require('./fixtures.js');

const PLUGIN_FILE = path.join(__dirname, '..', 'src', 'gerrit-ml-checks.js');
const DEFAULTS = {ciAccounts: [], trustServiceUsers: true};

/** @typedef {import('@gerritcodereview/typescript-api/checks').CheckRun} CheckRun */
/** @typedef {import('@gerritcodereview/typescript-api/checks').ChangeData} ChangeData */

/**
 * A RestPluginApi double: get answers with `messages` (or rejects with `failure`); post records the call.
 *
 * @param {object[]} messages
 * @param {{failure?: Error, postFailure?: Error}} [options]
 */
function fakeRestApi(messages, options = {}) {
  /** @type {{get: string[], post: Array<{path: string, payload: unknown}>}} */
  const calls = {get: [], post: []};
  const api = {
    calls,
    /** @param {string} url */
    get(url) {
      calls.get.push(url);
      return options.failure ? Promise.reject(options.failure) : Promise.resolve(messages);
    },
    /** @param {string} url @param {unknown} payload */
    post(url, payload) {
      calls.post.push({path: url, payload});
      return options.postFailure ? Promise.reject(options.postFailure) : Promise.resolve({});
    },
  };
  return api;
}

/** @returns {ChangeData} */
function changeData(patchset = 2) {
  return /** @type {any} */ ({changeNumber: 42, patchsetNumber: patchset, patchsetSha: 'abc', repo: 'ml/demo',
    changeInfo: {}});
}

/**
 * @param {object[]} messages
 * @param {object} [config]
 */
async function fetchRuns(messages, config = DEFAULTS, patchset = 2) {
  const rest = fakeRestApi(messages);
  const response = await checks.createProvider(/** @type {any} */ (rest), /** @type {any} */ (config))
    .fetch(changeData(patchset));
  return {response, rest, runs: /** @type {CheckRun[]} */ (response.runs)};
}

const RUNNING = {status: 'RUNNING', result: undefined, summary: 'training', stoppable: true,
  started: '2026-12-05T19:00:00Z'};
const COMPLETED = {status: 'COMPLETED', result: 'SUCCESS', summary: 'validation:auc 0.91', label: 'Verified',
  links: [{title: 'SageMaker console', url: 'https://console.example/jobs/churn-42-b7'},
    {title: 'Logs', url: 'https://logs.example/churn-42-b7'}, {title: 'Model', url: 'https://models.example/7'}],
  started: '2026-12-05T19:00:00Z', finished: '2026-12-05T19:42:00Z', stoppable: false};

test('the enum values are the typescript-api package\'s own', async () => {
  const file = require.resolve('@gerritcodereview/typescript-api/checks.js');
  // The package ships ES modules without "type": "module"; load its checks.js as one.
  const api = await import('data:text/javascript,' + encodeURIComponent(fs.readFileSync(file, 'utf8')));
  assert.deepEqual({...checks.ResponseCode}, {...api.ResponseCode});
  assert.deepEqual({...checks.RunStatus}, {...api.RunStatus});
  assert.deepEqual({...checks.Category}, {...api.Category});
  assert.equal(checks.LinkIcon.EXTERNAL, api.LinkIcon.EXTERNAL);
});

test('reads the change\'s messages, with detailed accounts, through the plugin REST API', async () => {
  const {rest} = await fetchRuns([]);
  assert.deepEqual(rest.calls.get, ['/changes/ml%2Fdemo~42/messages']);
});

test('a running then completed job is one attempt in the Checks API shape', async () => {
  const {response, runs} = await fetchRuns([
    message({block: RUNNING, text: ''}),
    message({block: COMPLETED, text: '| metric | value |\n| auc | 0.91 |'}),
  ]);
  assert.equal(response.responseCode, 'OK');
  assert.equal(runs.length, 1);
  const run = runs[0];
  const actions = run.actions || [];
  assert.deepEqual({...run, actions: actions.map((a) => ({...a, callback: typeof a.callback}))}, {
    change: 42,
    patchset: 2,
    attempt: 1,
    externalId: 'churn-42-b7',
    checkName: 'sagemaker-train churn',
    checkDescription: 'Model training job',
    status: 'COMPLETED',
    statusDescription: 'validation:auc 0.91',
    statusLink: 'https://console.example/jobs/churn-42-b7',
    labelName: 'Verified',
    startedTimestamp: new Date('2026-12-05T19:00:00Z'),
    finishedTimestamp: new Date('2026-12-05T19:42:00Z'),
    actions: [{name: 'Rerun', tooltip: 'Ask CI to run sagemaker-train churn again', primary: true,
      callback: 'function'}],
    results: [{
      externalId: 'churn-42-b7',
      category: 'SUCCESS',
      summary: 'validation:auc 0.91',
      message: '| metric | value |\n| auc | 0.91 |',
      tags: [{name: 'training'}],
      links: [
        {url: 'https://console.example/jobs/churn-42-b7', tooltip: 'SageMaker console', primary: true,
          icon: 'external'},
        {url: 'https://logs.example/churn-42-b7', tooltip: 'Logs', primary: true, icon: 'external'},
        {url: 'https://models.example/7', tooltip: 'Model', primary: false, icon: 'external'},
      ],
    }],
  });
  assert.ok(run.startedTimestamp instanceof Date);
  assert.ok(run.finishedTimestamp instanceof Date);
});

test('a running job has no results, and a Stop action only when the engine listens for it', async () => {
  let {runs} = await fetchRuns([message({block: RUNNING})]);
  assert.equal(runs[0].status, 'RUNNING');
  assert.ok(!('results' in runs[0]));
  assert.deepEqual((runs[0].actions || []).map((a) => a.name), ['Stop']);

  ({runs} = await fetchRuns([message({block: {...RUNNING, stoppable: false}})]));
  assert.ok(!('actions' in runs[0]));
});

test('each job id of a check is an attempt, numbered by first appearance; the newest block wins', async () => {
  const {runs} = await fetchRuns([
    message({block: {...RUNNING, id: 'job-a'}}),
    message({block: {...RUNNING, check: 'prefect-flow nightly', kind: 'flow-run', id: 'flow-1'}}),
    message({block: {...COMPLETED, id: 'job-a', result: 'ERROR', summary: 'auc 0.61 < 0.80'}}),
    message({block: {...RUNNING, id: 'job-b'}}),
    message({block: {...COMPLETED, id: 'job-b', result: 'WARNING', summary: 'auc 0.82'}}),
  ]);
  assert.deepEqual(runs.map((r) => [r.checkName, r.attempt, r.externalId, r.status,
    r.results && r.results[0].category]), [
    ['sagemaker-train churn', 1, 'job-a', 'COMPLETED', 'ERROR'],
    ['sagemaker-train churn', 2, 'job-b', 'COMPLETED', 'WARNING'],
    ['prefect-flow nightly', 1, 'flow-1', 'RUNNING', undefined],
  ]);
  assert.equal(runs[2].checkDescription, 'Workflow (flow) run');
});

test('a RUNNING delivered late does not undo a COMPLETED', async () => {
  const {runs} = await fetchRuns([message({block: COMPLETED}), message({block: RUNNING})]);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, 'COMPLETED');
});

test('a stopped job is a COMPLETED INFO run', async () => {
  const {runs} = await fetchRuns([message({block: RUNNING}),
    message({block: {status: 'COMPLETED', result: 'INFO', summary: 'stopped by alice'}})]);
  assert.equal(runs[0].status, 'COMPLETED');
  assert.equal(runs[0].results && runs[0].results[0].category, 'INFO');
  assert.equal(runs[0].results && runs[0].results[0].summary, 'stopped by alice');
});

test('runs of other patch sets and untrusted authors are left out', async () => {
  const {runs} = await fetchRuns([
    message({patchset: 1, block: {id: 'old'}}),
    message({author: BOB, block: {id: 'pasted'}}),
    message({author: JENKINS, tag: '', block: {id: 'untagged'}}),
    message({block: {id: 'real'}}),
  ]);
  assert.deepEqual(runs.map((r) => r.externalId), ['real']);
});

test('Rerun is offered only while no attempt of the check is running', async () => {
  const {runs} = await fetchRuns([message({block: {...COMPLETED, id: 'job-a'}}),
    message({block: {...RUNNING, id: 'job-b'}})]);
  assert.deepEqual(runs.map((r) => (r.actions || []).map((a) => a.name)), [[], ['Stop']]);
});

test('Stop posts "gerrit-ml stop <id>" on the patch set and asks for a reload', async () => {
  const {runs, rest} = await fetchRuns([message({block: RUNNING})]);
  const stop = (runs[0].actions || [])[0];
  const result = await stop.callback(42, 2, 1, 'churn-42-b7', 'sagemaker-train churn', 'Stop');
  assert.deepEqual(rest.calls.post, [{path: '/changes/ml%2Fdemo~42/revisions/2/review',
    payload: {message: 'gerrit-ml stop churn-42-b7'}}]);
  assert.deepEqual(result, {message: 'Asked the engine to stop churn-42-b7', shouldReload: true});
});

test('Rerun posts "gerrit-ml rerun <check>" on the patch set', async () => {
  const {runs, rest} = await fetchRuns([message({block: COMPLETED})]);
  const rerun = (runs[0].actions || [])[0];
  const result = await rerun.callback(42, 2, 1, 'churn-42-b7', 'sagemaker-train churn', 'Rerun');
  assert.deepEqual(rest.calls.post, [{path: '/changes/ml%2Fdemo~42/revisions/2/review',
    payload: {message: 'gerrit-ml rerun sagemaker-train churn'}}]);
  assert.deepEqual(result, {message: 'Asked CI to rerun sagemaker-train churn', shouldReload: true});
});

test('a refused action says why in its toast', async () => {
  const rest = fakeRestApi([message({block: RUNNING})], {postFailure: new Error('HTTP 403 not permitted')});
  const response = await checks.createProvider(/** @type {any} */ (rest), DEFAULTS).fetch(changeData());
  const stop = ((response.runs || [])[0].actions || [])[0];
  assert.deepEqual(await stop.callback(42, 2, 1, 'churn-42-b7', 'sagemaker-train churn', 'Stop'), {
    message: 'Could not post "gerrit-ml stop churn-42-b7": HTTP 403 not permitted', shouldReload: false});
});

test('a REST failure is an ERROR response with the reason', async () => {
  const rest = fakeRestApi([], {failure: new Error('HTTP 500 boom')});
  const response = await checks.createProvider(/** @type {any} */ (rest), DEFAULTS).fetch(changeData());
  assert.deepEqual(response, {responseCode: 'ERROR',
    errorMessage: 'gerrit-ml-checks could not read the messages of change 42: HTTP 500 boom'});
});

test('in a browser it installs itself and registers one provider polling every 30 s, defining no globals', () => {
  /** @type {any[]} */
  const registered = [];
  const restApi = fakeRestApi([]);
  const plugin = {
    restApi: () => restApi,
    checks: () => ({register: (/** @type {any} */ provider, /** @type {any} */ config) =>
      registered.push({provider, config})}),
  };
  const window = {Gerrit: {install: (/** @type {(p: any) => void} */ callback) => callback(plugin)}};
  const context = vm.createContext({window});
  // A script tag: no module, no require.
  vm.runInContext(fs.readFileSync(PLUGIN_FILE, 'utf8'), context, {filename: PLUGIN_FILE});
  assert.equal(registered.length, 1);
  // Objects made in the script's realm: compare their JSON.
  assert.equal(JSON.stringify(registered[0].config), '{"fetchPollingIntervalSeconds":30}');
  assert.equal(typeof registered[0].provider.fetch, 'function');
  assert.deepEqual(Object.keys(context), ['window']);
});

test('without window.Gerrit it installs nothing', () => {
  const context = vm.createContext({module: {exports: {}}});
  vm.runInContext(fs.readFileSync(PLUGIN_FILE, 'utf8'), context, {filename: PLUGIN_FILE});
  assert.equal(typeof context.module.exports.createProvider, 'function');
});
