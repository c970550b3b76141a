// CLI: serve | migrate | seed. Builds the app, listens, and shuts down gracefully on SIGTERM / SIGINT.
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { ensureBaseData } from './seed/base.js';
import { runSeed } from './seed/command.js';
import { seedDemo } from './seed/demo.js';
import { checkDataDir, explainDatabaseFailure, explainListenFailure, StartupError } from './startup.js';

async function main() {
  const command = process.argv[2] ?? 'serve';
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  // Attachments live in DATA_DIR on either database.
  checkDataDir(config.dataDir);
  const db = openDatabaseOrExplain(config);
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite at ${config.dataDir}`;

  if (command === 'migrate') {
    const applied = await migrateOrExplain(db, config);
    console.log(applied.length ? `Applied migrations on ${where}: ${applied.join(', ')}` : `Database on ${where} is up to date.`);
    await db.close();
    return;
  }
  if (command === 'seed') {
    await migrateOrExplain(db, config);
    const { base, demo } = await runSeed(db, config);
    printLogins(base);
    if (!config.demo) console.log('AFTERCARE_DEMO=0: base data only, no demo data.');
    else console.log(demo ? `Demo data: ${demo.customers} customers, ${demo.tickets} tickets.` : 'Customers already present: no demo data added.');
    await db.close();
    return;
  }
  if (command !== 'serve') {
    console.error(`Unknown command "${command}". Use: serve | migrate | seed`);
    process.exit(2);
  }

  await migrateOrExplain(db, config);
  const base = await ensureBaseData(db, config);
  const { app, sweeper } = await buildApp({ config, db });
  if (config.demo) {
    const demo = await seedDemo(db, config, { force: false });
    if (demo) app.log.info({ customers: demo.customers, tickets: demo.tickets }, 'demo data seeded');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // Fastify closes the connections idle when it starts closing; one busy then stays open after its answer until
    // its keep-alive runs out (72 s), and the forced exit below would cut the write worker's and the database's
    // orderly close. Closing each connection as soon as it is idle lets app.close() finish with the last answer.
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await sweeper.stop();
      await app.close();
      clearInterval(idleCloser);
      await db.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    const line = explainListenFailure(e, config);
    if (line) throw new StartupError(line);
    throw e;
  }
  sweeper.start(config.sweepSeconds);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(app.server.address() as { port: number }).port}`;
  console.log(`\nAftercare 售后服务管理系统 is running at ${url} (database: ${where})`);
  printLogins(base);
}

function printLogins(base: { adminPassword: string | null; demoPassword: string | null }) {
  if (base.adminPassword) console.log(`  admin password (generated, shown once): ${base.adminPassword}`);
  else console.log('  admin password: from AFTERCARE_ADMIN_PASSWORD (or set earlier)');
  if (base.demoPassword) {
    console.log(`  demo users (password "${base.demoPassword}"): agent, supervisor, engineer, dispatcher, manager, director, qa, customer`);
  }
}

function openDatabaseOrExplain(config: Config) {
  try {
    return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (e) {
    const line = explainDatabaseFailure(e, config);
    if (line) throw new StartupError(line);
    throw e;
  }
}

async function migrateOrExplain(db: Database, config: Config) {
  try {
    return await migrate(db);
  } catch (e) {
    const line = explainDatabaseFailure(e, config);
    if (line) throw new StartupError(line);
    throw e;
  }
}

main().catch((e) => {
  // A known misconfiguration is one line naming the setting; anything else keeps its stack for a bug report.
  console.error(e instanceof StartupError ? e.message : e);
  process.exit(1);
});
