'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const checks = require('../src/gerrit-ml-checks.js');
const {blockLine} = require('./fixtures.js');

const CONTRACT_EXAMPLE = 'gerrit-ml-check: {"v":1,"check":"sagemaker-train churn","kind":"training",'
  + '"id":"churn-42-b7","status":"COMPLETED","result":"SUCCESS","summary":"validation:auc 0.91","label":"Verified",'
  + '"links":[{"title":"SageMaker console","url":"https://console.aws.amazon.com/sagemaker/jobs/churn-42-b7"}],'
  + '"started":"2026-12-05T19:00:00Z","finished":"2026-12-05T19:42:00Z","stoppable":false}';

test('parses the contract example with its human text', () => {
  const parsed = checks.parseMessage(['Patch Set 2: Verified+1', '', '| metric | value |', '| auc | 0.91 |', '',
    CONTRACT_EXAMPLE, '(gerrit-ml delivery 0123abcd0123abcd)'].join('\n'));
  assert.ok(parsed);
  assert.deepEqual(parsed.block, {
    check: 'sagemaker-train churn', kind: 'training', id: 'churn-42-b7', status: 'COMPLETED', result: 'SUCCESS',
    summary: 'validation:auc 0.91', label: 'Verified',
    links: [{title: 'SageMaker console', url: 'https://console.aws.amazon.com/sagemaker/jobs/churn-42-b7'}],
    started: new Date('2026-12-05T19:00:00Z'), finished: new Date('2026-12-05T19:42:00Z'), stoppable: false,
  });
  assert.ok(parsed.block.started instanceof Date);
  assert.equal(parsed.text, '| metric | value |\n| auc | 0.91 |');
});

test('a RUNNING block needs no result; optional fields stay absent', () => {
  const parsed = checks.parseMessage(blockLine({status: 'RUNNING', result: undefined, stoppable: true}));
  assert.ok(parsed);
  assert.equal(parsed.block.status, 'RUNNING');
  assert.equal(parsed.block.stoppable, true);
  assert.ok(!('result' in parsed.block));
  assert.ok(!('label' in parsed.block));
  assert.ok(!('started' in parsed.block));
  assert.equal(parsed.text, '');
});

test('messages without a valid block are not check runs', () => {
  for (const text of [
    'Patch Set 2: Code-Review+1\n\nLooks good',
    'see gerrit-ml-check: {"v":1} inline, not a line of its own',
    'gerrit-ml-check: {not json}',
    blockLine({v: 2}),
    blockLine({check: ''}),
    blockLine({id: undefined}),
    blockLine({status: 'QUEUED'}),
    blockLine({status: 'COMPLETED', result: 'FAILURE'}),
    blockLine({status: 'COMPLETED', result: undefined}),
    '',
  ]) {
    assert.equal(checks.parseMessage(text), null, text);
  }
  assert.equal(checks.parseMessage(/** @type {any} */ (undefined)), null);
});

test('the last valid block line of a message counts', () => {
  const parsed = checks.parseMessage([blockLine({id: 'first'}), blockLine({id: 'second'}),
    'gerrit-ml-check: broken'].join('\n'));
  assert.equal(parsed && parsed.block.id, 'second');
});

test('keeps only http(s) links, titles default to the url; bad dates are dropped', () => {
  const parsed = checks.parseMessage(blockLine({
    links: [{title: 'Console', url: 'https://a.example/x'}, {url: 'http://b.example/y'},
      {title: 'Script', url: 'javascript:alert(1)'}, {title: 'S3', url: 's3://bucket/model.tar.gz'}, null],
    started: 'yesterday', finished: '2026-12-05T19:42:00+01:00',
  }));
  assert.ok(parsed);
  assert.deepEqual(parsed.block.links, [{title: 'Console', url: 'https://a.example/x'},
    {title: 'http://b.example/y', url: 'http://b.example/y'}]);
  assert.ok(!('started' in parsed.block));
  assert.equal(parsed.block.finished && parsed.block.finished.toISOString(), '2026-12-05T18:42:00.000Z');
});

test('describes kinds in words', () => {
  assert.equal(checks.describeKind('training'), 'Model training job');
  assert.equal(checks.describeKind('flow-run'), 'Workflow (flow) run');
  assert.equal(checks.describeKind('metrics'), 'Model metrics check');
  assert.equal(checks.describeKind('deployment'), 'Model deployment');
  assert.equal(checks.describeKind('quantize'), 'ML job (quantize)');
  assert.equal(checks.describeKind(''), 'ML job');
});
