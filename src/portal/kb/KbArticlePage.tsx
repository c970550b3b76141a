// One help article: its text (rendered and sanitised by the server), "was this helpful", and "this solved it".
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Alert, Card, Loading, Page, useLoad } from '../ui.js';
import { kbClient } from './client.js';
import './kb.css';

export default function KbArticlePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const article = useLoad((signal) => kbClient.get(id, signal), [id]);
  const [vote, setVote] = useState<'yes' | 'no' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [solved, setSolved] = useState(false);
  if (article.loading && !article.data) return <Loading />;
  if (!article.data) {
    return (
      <Page title={t('kb.notFound')}>
        <Alert>{article.error?.message ?? t('kb.notFound')}</Alert>
        <Link to="/kb">{t('kb.back')}</Link>
      </Page>
    );
  }
  const a = article.data;
  const mine = vote ?? a.myVote;
  const send = async (helpful: boolean) => {
    setError(null);
    try {
      const r = await kbClient.vote(a.id, helpful);
      setVote(r.myVote);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const solvedIt = async () => {
    setError(null);
    try {
      await kbClient.deflect(a.id, 'article');
      setSolved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Page title={a.title}>
      <p>
        <Link to="/kb">{t('kb.back')}</Link>
      </p>
      <Card>
        {a.summary ? <p className="pt-lead">{a.summary}</p> : null}
        {/* Rendered from Markdown without raw HTML and sanitised on the server. */}
        <div className="pt-article" data-testid="kb-article" dangerouslySetInnerHTML={{ __html: a.html }} />
      </Card>
      <Card title={t('kb.helpfulQuestion')}>
        <div className="pt-feedback">
          <button type="button" className={`pt-button ${mine === 'yes' ? '' : 'pt-button-ghost'}`} aria-pressed={mine === 'yes'} onClick={() => void send(true)} data-testid="kb-helpful-yes">
            {t('kb.yes')}
          </button>
          <button type="button" className={`pt-button ${mine === 'no' ? '' : 'pt-button-ghost'}`} aria-pressed={mine === 'no'} onClick={() => void send(false)} data-testid="kb-helpful-no">
            {t('kb.no')}
          </button>
          {mine ? <span className="pt-muted pt-small">{t('kb.thanks')}</span> : null}
        </div>
        <div className="pt-actions">
          {solved ? (
            <Alert kind="success">{t('kb.solvedThanks')}</Alert>
          ) : (
            <button type="button" className="pt-button pt-button-ghost" onClick={() => void solvedIt()} data-testid="kb-solved">
              {t('kb.solved')}
            </button>
          )}
          <Link className="pt-button pt-button-ghost" to="/new">
            {t('kb.stillNeedHelp')}
          </Link>
        </div>
        {error ? <Alert>{error}</Alert> : null}
      </Card>
    </Page>
  );
}
