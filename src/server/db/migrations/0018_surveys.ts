// Satisfaction surveys (issue 15): the admin's form in versions (answers keep the questions they answered), one
// survey per ticket (sent on closing, by hand or through the API; answered once), and the follow-up task (回访) a low
// answer opens, with its own deadline, warning and breach flags and the sweeper's next check (check_at).
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const id = (t: string) => db.schema.createTable(t).addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));

  await db.schema
    .createTable('survey_forms')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('wording', 'text', (c) => c.notNull()) // JSON: SurveyWording
    .addColumn('questions', 'text', (c) => c.notNull()) // JSON: SurveyQuestion[]
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  // Version 1: score, NPS and comment only, in the portal's own words.
  await db.insertInto('survey_forms').values({ version: 1, wording: '{}', questions: '[]', created_at: Date.now(), created_by: null }).execute();

  await id('surveys')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().unique().references('tickets.id'))
    .addColumn('form_version', 'integer', (c) => c.notNull().references('survey_forms.version'))
    .addColumn('source', 'text', (c) => c.notNull()) // auto | manual | api
    .addColumn('sent_at', bigint, (c) => c.notNull())
    .addColumn('sent_by', 'integer')
    .addColumn('answered_at', bigint)
    .addColumn('answered_via', 'text') // link | portal
    .addColumn('answered_by', 'integer') // the signed-in customer user, null by link
    .addColumn('language', 'text')
    .addColumn('score', 'integer')
    .addColumn('nps', 'integer')
    .addColumn('comment', 'text')
    .addColumn('answers', 'text') // JSON: { questionId: value }
    // The ticket's department when answered: reports group by it, and it does not move if the ticket does later.
    .addColumn('department_id', 'integer')
    .execute();
  await db.schema.createIndex('surveys_answered').on('surveys').columns(['answered_at', 'id']).execute();
  await db.schema.createIndex('surveys_department_answered').on('surveys').columns(['department_id', 'answered_at']).execute();

  await id('survey_follow_ups')
    .addColumn('survey_id', 'integer', (c) => c.notNull().unique().references('surveys.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('reasons', 'text', (c) => c.notNull()) // JSON: ['low_score', 'detractor']
    .addColumn('opened_at', bigint, (c) => c.notNull())
    .addColumn('due_at', bigint, (c) => c.notNull())
    .addColumn('warn_at', bigint, (c) => c.notNull())
    .addColumn('warned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('breached', 'integer', (c) => c.notNull().defaultTo(0))
    // Next instant the sweeper has work here (warning, breach); null once both fired or the task is closed.
    .addColumn('check_at', bigint)
    .addColumn('second_review_id', 'integer')
    .addColumn('closed_at', bigint)
    .addColumn('closed_by', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('finding', 'text')
    .execute();
  await db.schema.createIndex('survey_follow_ups_check').on('survey_follow_ups').column('check_at').execute();
  await db.schema.createIndex('survey_follow_ups_open').on('survey_follow_ups').columns(['closed_at', 'due_at']).execute();
  await db.schema.createIndex('survey_follow_ups_second_review').on('survey_follow_ups').column('second_review_id').execute();
}
