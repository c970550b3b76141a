// The smart assistant's chat box (智能客服): answers from the help articles, asks which product once when it must,
// hands over to a person — a new request pre-filled with the conversation — when it cannot help or is asked to.
// Used on /assist and embeddable beside the new-request form.
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { AssistReply as AssistReplySchema } from '../../shared/kb.js';
import { api } from '../api.js';
import { randomId } from '../kb/client.js';
import { Segments } from '../kb/Segments.js';
import '../kb/kb.css';

type AssistReply = z.infer<typeof AssistReplySchema>;
type Turn = { from: 'customer'; text: string } | { from: 'assistant'; text: string; reply: AssistReply | null };

/** Where the hand-over leaves the drafted request for the new-request page (same tab, this visit only). */
export const HANDOVER_KEY = 'aftercare.handover';

export function ChatBox({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const conversation = useRef(`c${randomId()}`);
  const [turns, setTurns] = useState<Turn[]>([{ from: 'assistant', text: t('assist.hello'), reply: null }]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clarified, setClarified] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const [handedOver, setHandedOver] = useState(false);
  const [solved, setSolved] = useState(false);
  const end = useRef<HTMLDivElement>(null);

  const scroll = () => setTimeout(() => end.current?.scrollIntoView({ block: 'nearest' }), 0);

  const ask = async (message: string, productLine?: string) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<AssistReply>('/assist/ask', { conversationId: conversation.current, message, productLine, clarified: clarified || productLine !== undefined });
      if (reply.kind === 'clarify') {
        setClarified(true);
        setPending(message);
      } else setPending(null);
      setTurns((ts) => [...ts, { from: 'assistant', text: reply.text, reply }]);
      if (reply.kind === 'handover') await handover([...turns, { from: 'customer', text: message }, { from: 'assistant', text: reply.text, reply }]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      scroll();
    }
  };

  const send = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message || busy) return;
    setTurns((ts) => [...ts, { from: 'customer', text: message }]);
    setText('');
    void ask(message);
  };

  const choose = (line: string, label: string) => {
    if (!pending || busy) return;
    setTurns((ts) => [...ts, { from: 'customer', text: label }]);
    void ask(pending, line);
  };

  const handover = async (all: Turn[]) => {
    const draft = await api.post<{ title: string; description: string }>('/assist/handover', {
      conversationId: conversation.current,
      turns: all.filter((x) => x.text).slice(-40).map((x) => ({ from: x.from, text: x.text.slice(0, 2000) })),
    });
    try {
      sessionStorage.setItem(HANDOVER_KEY, JSON.stringify(draft));
    } catch {
      // storage disabled: the form opens empty
    }
    setHandedOver(true);
  };

  const askPerson = async () => {
    setTurns((ts) => [...ts, { from: 'customer', text: t('assist.person') }]);
    await ask(t('assist.person'));
  };

  const solvedIt = async (articleId: number) => {
    try {
      await api.post('/assist/solved', { conversationId: conversation.current, articleId });
    } catch {
      // counting failed; the customer's answer still stands
    }
    setSolved(true);
  };

  return (
    <div className={compact ? 'pt-assist pt-assist-compact' : 'pt-assist'} data-testid="assist">
      <div className="pt-chat" aria-live="polite">
        {turns.map((turn, i) => (
          <div key={i} className={`pt-msg ${turn.from === 'customer' ? 'pt-msg-me' : 'pt-msg-bot'}`} data-testid={turn.from === 'customer' ? 'assist-me' : 'assist-bot'}>
            <div>{turn.text}</div>
            {turn.from === 'assistant' && turn.reply?.passage ? (
              <>
                <blockquote data-testid="assist-passage">
                  <Segments segments={turn.reply.passage.segments} />
                </blockquote>
                <Link to={`/kb/${turn.reply.passage.articleId}`} data-testid="assist-article">
                  {t('assist.readArticle', { title: turn.reply.passage.articleTitle })}
                </Link>
                {turn.reply.alternatives.length ? (
                  <div className="pt-small pt-muted">
                    {t('assist.alsoSee')}{' '}
                    {turn.reply.alternatives.map((a, k) => (
                      <span key={a.id}>
                        {k > 0 ? '、' : ''}
                        <Link to={`/kb/${a.id}`}>{a.title}</Link>
                      </span>
                    ))}
                  </div>
                ) : null}
                {i === turns.length - 1 && !solved && !handedOver ? (
                  <div className="pt-chips">
                    <button type="button" className="pt-chip" onClick={() => void solvedIt(turn.reply!.passage!.articleId)} data-testid="assist-solved">
                      {t('assist.solved')}
                    </button>
                    <button type="button" className="pt-chip" onClick={() => void askPerson()} data-testid="assist-person">
                      {t('assist.notSolved')}
                    </button>
                  </div>
                ) : null}
              </>
            ) : null}
            {turn.from === 'assistant' && turn.reply?.kind === 'clarify' && i === turns.length - 1 ? (
              <div className="pt-chips" role="group" aria-label={turn.text}>
                {turn.reply.options.map((o) => (
                  <button key={o.line} type="button" className="pt-chip" onClick={() => choose(o.line, o.label)} data-testid="assist-option">
                    {o.label}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
        ))}
        {solved ? (
          <div className="pt-msg pt-msg-bot" role="status">
            {t('assist.glad')}
          </div>
        ) : null}
        {handedOver ? (
          <div className="pt-msg pt-msg-bot" data-testid="assist-handover">
            <Link className="pt-button" to="/new?from=assist">
              {t('assist.openRequest')}
            </Link>
          </div>
        ) : null}
        <div ref={end} />
      </div>
      {error ? (
        <div className="pt-alert pt-alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <form className="pt-chat-form" onSubmit={send}>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('assist.placeholder')} aria-label={t('assist.inputLabel')} maxLength={1000} data-testid="assist-input" />
        <button type="submit" className="pt-button" disabled={busy || !text.trim()} data-testid="assist-send">
          {t('assist.send')}
        </button>
      </form>
    </div>
  );
}
