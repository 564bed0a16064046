// Runs the site's real search worker (nskb-search.js in front of Material's worker, with lunr)
// under Node, over a built search index: the ranking the browser shows, without a browser.
// usage: node search_node.js SITE_DIR LANG_PREFIX < queries.json   (prints JSON: query -> paths)
"use strict"
const fs = require("fs")
const path = require("path")
const vm = require("vm")

const [site, prefix] = process.argv.slice(2)
const workers = path.join(site, "assets/javascripts/workers")
const material = fs.readdirSync(workers).find(name => /^search\.[0-9a-f]+\.min\.js$/.test(name))
const listeners = []
let reply = null
const context = {
  console, URLSearchParams, Set, Map,
  location: { search: `?material=${material}` },
  addEventListener: (type, fn) => { if (type === "message") listeners.push(fn) },
  postMessage: message => { reply = message },
  importScripts: (...urls) => {
    for (const url of urls)
      vm.runInContext(fs.readFileSync(path.resolve(workers, url), "utf8"), context, { filename: url })
  },
}
context.self = context
vm.createContext(context)
context.importScripts("nskb-search.js")

async function send(message) {
  reply = null
  const event = { data: message }
  for (const fn of listeners) await fn(event)
  for (let i = 0; i < 100 && reply === null; i++) await new Promise(r => setImmediate(r))
  return reply
}

async function main() {
  const index = JSON.parse(fs.readFileSync(path.join(site, prefix, "search/search_index.json"), "utf8"))
  await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } })
  const queries = JSON.parse(fs.readFileSync(0, "utf8"))
  const out = {}
  for (const query of queries) {
    const result = await send({ type: 2, data: query })
    out[query] = result.data.items.map(group => group[0].location.split("#")[0])
  }
  process.stdout.write(JSON.stringify(out))
}
main().catch(error => { process.stderr.write(`search_node.js: ${error.stack}\n`); process.exit(2) })
