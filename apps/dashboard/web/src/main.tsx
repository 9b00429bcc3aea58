import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { serverConfig, type ServerConfig } from './api.js';
import { ComparePage } from './pages/compare-page.js';
import { DatasetPage } from './pages/dataset-page.js';
import { DatasetVersionPage } from './pages/dataset-version-page.js';
import { DatasetsPage } from './pages/datasets-page.js';
import { NewPage } from './pages/new-page.js';
import { QueuePage } from './pages/queue-page.js';
import { RunPage } from './pages/run-page.js';
import { RunsPage } from './pages/runs-page.js';
import { SweepPage } from './pages/sweep-page.js';
import { Link, useLocation } from './router.js';
import './styles.css';

function Page() {
  const location = useLocation();
  const run = /^\/runs\/([^/]+)$/.exec(location.path);
  if (run?.[1]) return <RunPage key={run[1]} id={decodeURIComponent(run[1])} />;
  const sweep = /^\/sweeps\/([^/]+)$/.exec(location.path);
  if (sweep?.[1]) return <SweepPage key={sweep[1]} id={decodeURIComponent(sweep[1])} metric={location.query.get('metric')} />;
  const dataset = /^\/datasets\/([^/]+)(?:\/versions\/(\d+))?$/.exec(location.path);
  if (dataset?.[1]) {
    const name = decodeURIComponent(dataset[1]);
    if (dataset[2]) return <DatasetVersionPage key={location.path} name={name} version={Number(dataset[2])} />;
    return <DatasetPage key={name} name={name} />;
  }
  switch (location.path) {
    case '/':
      return <RunsPage query={location.query} />;
    case '/compare':
      return <ComparePage ids={(location.query.get('runs') ?? '').split(',').filter(Boolean)} />;
    case '/new':
      return <NewPage />;
    case '/queue':
      return <QueuePage />;
    case '/datasets':
      return <DatasetsPage />;
    default:
      return <p className="error">No page at {location.path}.</p>;
  }
}

function ServerNote() {
  const [config, setConfig] = useState<ServerConfig | undefined>();
  useEffect(() => {
    serverConfig().then(setConfig, () => undefined);
  }, []);
  if (!config) return null;
  if (config.tokenRequired) return <span className="note">{config.publicReads ? 'changes need the API token' : 'reads and changes need the API token'}</span>;
  // Without a token the server listens on a loopback address only (it refuses any other HOST).
  return <span className="note">{`no API token: bound to ${config.host} only`}</span>;
}

function App() {
  return (
    <>
      <header>
        <Link to="/" className="brand">
          trainyard
        </Link>
        <nav>
          <Link to="/">Runs</Link>
          <Link to="/new">New experiment</Link>
          <Link to="/datasets">Datasets</Link>
          <Link to="/queue">Queue</Link>
        </nav>
        <ServerNote />
      </header>
      <main>
        <Page />
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
