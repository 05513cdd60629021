'use strict';
/**
 * A thin stand-in for the PluginApi Gerrit's web UI hands a plugin, for Node: restApi() talks to a real Gerrit's
 * REST API as one user (HTTP basic auth to <url>/a/...), and checks().register() keeps the provider for the caller.
 * Only what gerrit-ml-checks uses is here.
 */

const MAGIC = ")]}'";

/**
 * @typedef {import('@gerritcodereview/typescript-api/checks').ChecksProvider} ChecksProvider
 * @typedef {import('@gerritcodereview/typescript-api/checks').ChecksApiConfig} ChecksApiConfig
 */

/**
 * @param {string} text a Gerrit REST reply
 * @returns {unknown} its JSON, without Gerrit's )]}' prefix; undefined when empty
 */
function parseGerritJson(text) {
  const body = text.startsWith(MAGIC) ? text.substring(MAGIC.length) : text;
  return body.trim() ? JSON.parse(body) : undefined;
}

/**
 * A RestPluginApi subset (get, post, put, send) over fetch, as `user`.
 *
 * @param {{url: string, user: string, password: string}} options url is Gerrit's canonical web URL
 */
function restApi(options) {
  const base = options.url.replace(/\/+$/, '');
  const authorization = 'Basic ' + Buffer.from(options.user + ':' + options.password).toString('base64');

  /**
   * @param {string} method
   * @param {string} path as the web UI passes it, e.g. /changes/p~1/messages
   * @param {unknown} [payload]
   * @returns {Promise<any>}
   */
  async function send(method, path, payload) {
    /** @type {Record<string, string>} */
    const headers = {Authorization: authorization, Accept: 'application/json'};
    /** @type {RequestInit} */
    const init = {method, headers};
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    }
    const response = await fetch(base + '/a' + (path.startsWith('/') ? path : '/' + path), init);
    const text = await response.text();
    if (!response.ok) {
      // Like the web UI's RestApi without an error callback: a failed request rejects with Gerrit's reply.
      throw new Error(method + ' ' + path + ' answered HTTP ' + response.status + ': ' + text.trim());
    }
    return parseGerritJson(text);
  }

  return {
    send,
    /** @param {string} path */
    get: (path) => send('GET', path),
    /** @param {string} path @param {unknown} [payload] */
    post: (path, payload) => send('POST', path, payload),
    /** @param {string} path @param {unknown} [payload] */
    put: (path, payload) => send('PUT', path, payload),
  };
}

/**
 * A PluginApi subset: restApi() and checks().register().
 *
 * @param {{url: string, user: string, password: string}} options
 */
function pluginApi(options) {
  /** @type {{provider?: ChecksProvider, config?: ChecksApiConfig}} */
  const registered = {};
  const rest = restApi(options);
  return {
    registered,
    restApi: () => rest,
    checks: () => ({
      /** @param {ChecksProvider} provider @param {ChecksApiConfig} [config] */
      register(provider, config) {
        if (registered.provider) {
          throw new Error('checks().register must only be called once');
        }
        registered.provider = provider;
        registered.config = config;
      },
      announceUpdate() {},
      updateResult() {},
    }),
  };
}

/**
 * A FetchResponse (or ActionResult) as JSON: callbacks dropped, Dates as ISO-8601.
 *
 * @param {unknown} value
 * @returns {string}
 */
function toJson(value) {
  return JSON.stringify(value, (key, item) => (typeof item === 'function' ? undefined : item), 2);
}

module.exports = {parseGerritJson, restApi, pluginApi, toJson};
