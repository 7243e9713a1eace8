import { DragEvent, FormEvent, useRef, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { ADD_ATTACHMENT, ADD_COMMENT, ADD_OBSERVABLE, CASE, CASES } from '../operations';
import { href, navigate } from '../router';
import { SEVERITIES, STATUSES, bytes, errorText, when } from '../format';
import { getToken } from '../session';
import { Me, useFocusHeading } from '../App';
import type { UploadProgress } from '../apollo';

export function CasePage({ id, me }: { id: string; me: Me }) {
  const heading = useFocusHeading<HTMLHeadingElement>(id);
  const { data, error } = useQuery(CASE, { variables: { id } });
  const c = data?.case;
  const can = (p: string) => me.permissions.includes(p);
  return (
    <section>
      <p>
        <a
          href={href({ name: 'cases' })}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: 'cases' });
          }}
        >
          ← My cases
        </a>
      </p>
      {error && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {data && !c && (
        <>
          <h1 ref={heading} tabIndex={-1}>
            Case not found
          </h1>
          <p>This case does not exist or is not shared with you.</p>
        </>
      )}
      {!data && !error && <p aria-busy="true">Loading…</p>}
      {c && (
        <>
          <h1 ref={heading} tabIndex={-1}>
            #{c.number} {c.title}
          </h1>
          <dl className="meta">
            <div>
              <dt>Status</dt>
              <dd>{STATUSES[c.status] ?? c.status}</dd>
            </div>
            <div>
              <dt>Severity</dt>
              <dd>{SEVERITIES[c.severity] ?? c.severity}</dd>
            </div>
            <div>
              <dt>Opened</dt>
              <dd>{when(c.createdAt)}</dd>
            </div>
            <div>
              <dt>Last update</dt>
              <dd>{when(c.updatedAt)}</dd>
            </div>
          </dl>
          <h2>Description</h2>
          <p className="description">{c.description || 'No description.'}</p>

          <h2 id="comments-h">Comments</h2>
          {c.comments.length === 0 ? (
            <p>No comment yet.</p>
          ) : (
            <ol className="comments" aria-labelledby="comments-h">
              {[...c.comments]
                .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                .map((m) => (
                  <li key={m.id} className="comment">
                    <p className="by">
                      <strong>{m.author}</strong> · <time dateTime={m.createdAt}>{when(m.createdAt)}</time>
                    </p>
                    <p className="message">{m.message}</p>
                  </li>
                ))}
            </ol>
          )}
          {can('portalComment') && <CommentForm caseId={c.id} />}

          <h2 id="attachments-h">Attachments</h2>
          {c.attachments.length === 0 ? (
            <p>No attachment yet.</p>
          ) : (
            <ul className="attachments" aria-labelledby="attachments-h">
              {c.attachments.map((a) => (
                <AttachmentRow key={a.id} a={a} />
              ))}
            </ul>
          )}
          {can('portalAttachment') && <Upload caseId={c.id} max={me.maxUploadBytes} />}

          <h2 id="observables-h">Observables</h2>
          {c.observables.length === 0 ? (
            <p>No observable yet.</p>
          ) : (
            <table className="observables">
              <caption className="sr-only">Observables you reported</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Value</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {c.observables.map((o) => (
                  <tr key={o.id}>
                    <td>{o.dataType}</td>
                    <td className="data">{o.data}</td>
                    <td>{o.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {can('portalObservable') && <ObservableForm caseId={c.id} types={me.observableDataTypes} />}
        </>
      )}
    </section>
  );
}

const refetch = (id: string) => ({ refetchQueries: [{ query: CASE, variables: { id } }, CASES], awaitRefetchQueries: true });

function CommentForm({ caseId }: { caseId: string }) {
  const [add, { loading }] = useMutation(ADD_COMMENT, refetch(caseId));
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const message = String(new FormData(formEl).get('message')).trim();
    setError(null);
    if (!message) return setError('Write a comment first.');
    try {
      await add({ variables: { caseId, message } });
      formEl.reset();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <label htmlFor="comment">Add a comment</label>
      <textarea id="comment" name="message" rows={3} aria-invalid={!!error} aria-describedby={error ? 'comment-error' : undefined} />
      {error && (
        <p id="comment-error" role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={loading}>
        Send comment
      </button>
    </form>
  );
}

function AttachmentRow({ a }: { a: { id: string; name: string; size: number; contentType: string } }) {
  const [error, setError] = useState<string | null>(null);
  async function download() {
    setError(null);
    // The token goes in a header, never in the URL; the bytes become a blob saved under the file's name.
    const res = await fetch(`/attachments/${encodeURIComponent(a.id)}`, { headers: { authorization: `Bearer ${getToken() ?? ''}` } }).catch(() => null);
    if (!res || !res.ok) return setError(res?.status === 401 ? 'Your session has ended. Please log in again.' : 'The file could not be downloaded.');
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <li>
      <button type="button" className="link" onClick={download} aria-label={`Download ${a.name}`}>
        {a.name}
      </button>{' '}
      <span className="muted">({bytes(a.size)})</span>
      {error && (
        <span role="alert" className="error">
          {' '}
          {error}
        </span>
      )}
    </li>
  );
}

function Upload({ caseId, max }: { caseId: string; max: number }) {
  const [add] = useMutation(ADD_ATTACHMENT, refetch(caseId));
  const [progress, setProgress] = useState<{ name: string; loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function send(file: File) {
    setError(null);
    setDone(null);
    if (file.size > max) return setError(`${file.name} is ${bytes(file.size)}: files up to ${bytes(max)} can be attached.`);
    setProgress({ name: file.name, loaded: 0, total: file.size });
    const onUploadProgress: UploadProgress = (loaded, total) => setProgress({ name: file.name, loaded, total });
    try {
      await add({ variables: { caseId, file }, context: { fetchOptions: { onUploadProgress } } });
      setDone(`${file.name} attached.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }
  function drop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void send(file);
  }
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label htmlFor="file">Attach a file</label>
      <p id="file-hint" className="muted">
        Drop a file here or choose one (up to {bytes(max)}).
      </p>
      <input
        id="file"
        ref={input}
        type="file"
        aria-describedby="file-hint"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void send(f);
        }}
      />
      {progress && (
        <div>
          <label htmlFor="upload-progress">Uploading {progress.name}</label>
          <progress id="upload-progress" max={progress.total || 1} value={progress.loaded} />
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </div>
  );
}

function ObservableForm({ caseId, types }: { caseId: string; types: string[] }) {
  const [add, { loading }] = useMutation(ADD_OBSERVABLE, refetch(caseId));
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const data = String(form.get('data')).trim();
    setError(null);
    if (!data) return setError('Enter the value of the observable.');
    try {
      await add({ variables: { caseId, input: { dataType: String(form.get('dataType')), data, message: String(form.get('message')) } } });
      formEl.reset();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <fieldset>
        <legend>Report an observable</legend>
        <label htmlFor="dataType">Type</label>
        <select id="dataType" name="dataType" defaultValue={types[0]}>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label htmlFor="data">Value</label>
        <input id="data" name="data" aria-invalid={!!error} aria-describedby={error ? 'observable-error' : undefined} />
        <label htmlFor="obs-message">Note (optional)</label>
        <input id="obs-message" name="message" />
        {error && (
          <p id="observable-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={loading}>
          Add observable
        </button>
      </fieldset>
    </form>
  );
}
