// Says in one line what to do when the test database is not reachable, instead of letting Jest time out.
const { Client } = require('pg');
const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
client.connect().then(
  () => client.end(),
  (err) => {
    console.error(
      `PostgreSQL is not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${err.code || err.message}): start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_DATABASE_URL.`,
    );
    process.exit(1);
  },
);
