// Wires the services of every module to one context; routes and jobs receive this object.
import type { AppContext, CacheName } from './context.js';
import { Dispatcher } from './dispatcher.js';
import type { ReadPool } from './readers/pool.js';
import { QUEUE_COUNT_CAP } from './modules/tickets/count.js';
import type { WritePool } from './writers/pool.js';
import { AttachmentsService } from './modules/attachments/service.js';
import { AuthService } from './modules/auth/service.js';
import { CategoriesService } from './modules/categories/service.js';
import { CustomersService } from './modules/customers/service.js';
import { UnitImport } from './modules/products/import.js';
import { ProductsService } from './modules/products/service.js';
import { UnitsService } from './modules/products/units.js';
import { NotifyService } from './modules/notify/service.js';
import { RoutingAdminService } from './modules/routing/admin.js';
import { RoutingService } from './modules/routing/service.js';
import { SlaAdminService } from './modules/sla/admin.js';
import { SubtasksService } from './modules/subtasks/service.js';
import { ResolutionService } from './modules/tickets/resolution.js';
import { SlaService } from './modules/sla/service.js';
import { SettingsService } from './modules/settings/service.js';
import { LinksService } from './modules/links/service.js';
import { PortalService } from './modules/portal/service.js';
import { MessagesService } from './modules/messages/service.js';
import { SurveysService } from './modules/surveys/service.js';
import { PartsService } from './modules/parts/service.js';
import { TicketsService } from './modules/tickets/service.js';
import { UsersService } from './modules/users/service.js';
import { KbService } from './modules/kb/service.js';
import { KbSearch } from './modules/kb/search.js';
import { KbFeedback } from './modules/kb/feedback.js';
import { AssistService } from './modules/assist/service.js';
import { FieldAdmin } from './modules/providers/field-admin.js';
import { ProvidersService } from './modules/providers/service.js';
import { SettlementService } from './modules/settlement/service.js';
import { DispatchBoard } from './modules/visits/board.js';
import { FieldConfig } from './modules/visits/field.js';
import { PhoneGuidance } from './modules/visits/guidance.js';
import { VisitParts } from './modules/visits/parts.js';
import { VisitCharges } from './modules/visit-report/charges.js';
import { VisitReportReader } from './modules/visit-report/read.js';
import { visitFaultClasses, VisitWork } from './modules/visit-report/service.js';
import { VisitsService } from './modules/visits/service.js';
import { InstallationService } from './modules/installation/service.js';
import { InspectionsService } from './modules/inspections/service.js';
import { InspectionSweep } from './modules/inspections/sweep.js';
import { CareReminders } from './modules/care/reminders.js';
import { RepeatRepairs } from './modules/care/repeats.js';
import { actorOf } from './modules/users/service.js';
import { ReturnsService } from './modules/returns/service.js';

export interface Services {
  ctx: AppContext;
  auth: AuthService;
  users: UsersService;
  categories: CategoriesService;
  customers: CustomersService;
  /** The product catalog, fee standard and fault classes (issue 16). */
  products: ProductsService;
  /** Customers' units: warranty, history, replacement (issue 16). */
  units: UnitsService;
  unitImport: UnitImport;
  tickets: TicketsService;
  attachments: AttachmentsService;
  sla: SlaService;
  routing: RoutingService;
  notify: NotifyService;
  slaAdmin: SlaAdminService;
  routingAdmin: RoutingAdminService;
  resolution: ResolutionService;
  subtasks: SubtasksService;
  settings: SettingsService;
  /** Signed links for customers (portal ticket link, survey, unsubscribe). */
  links: LinksService;
  /** The customer portal: sessions, one-time codes, one-ticket links, units (issue 15). */
  portal: PortalService;
  /** Knowledge base: articles and revisions, search and suggestions, votes and counts; the assistant on top. */
  kb: KbService;
  kbSearch: KbSearch;
  kbFeedback: KbFeedback;
  assist: AssistService;
  /** Messages to customers (sign-in codes, invitations, ticket events) and their channels. */
  messages: MessagesService;
  /** Satisfaction surveys, their follow-up tasks (回访) and report. */
  surveys: SurveysService;
  /** Spare parts: catalog, locations (warehouses, vans), stock moves and their ledger, reports (issue 16). */
  parts: PartsService;
  /** On-site visits (issue 16): bookings, steps; the dispatch board, free slots and suggestions; phone guidance. */
  visits: VisitsService;
  /** Completing a visit (issue 16): report, parts used, photos, signature; charges and receipt; the report as one document. */
  visitWork: VisitWork;
  visitCharges: VisitCharges;
  visitReport: VisitReportReader;
  dispatchBoard: DispatchBoard;
  /** Settlement review of finished visits and the monthly settlement (issue 16). */
  settlement: SettlementService;
  phoneGuidance: PhoneGuidance;
  /** Installation acceptance (安装验收): checklists per product, a visit's ticks and the customer's sign-off (issue 16). */
  installation: InstallationService;
  /** Inspection plans (巡检) and their occurrences; the sweeper's part in `inspectionSweep`. */
  inspections: InspectionsService;
  inspectionSweep: InspectionSweep;
  /** Care reminders (主动关怀) and the staff's list of care contacts. */
  careReminders: CareReminders;
  /** 30-day repeat repairs: links and the report. */
  repeatRepairs: RepeatRepairs;
  /** Returns and exchanges (RMA), take-back repairs and loaner units (issue 16). */
  returns: ReturnsService;
  /** The service network (issue 16): service providers and their people; engineer profiles and travel gaps (admin). */
  providers: ProvidersService;
  fieldAdmin: FieldAdmin;
  /** Read workers for the queue and search (embedded database only; set by buildApp). */
  readers: ReadPool | null;
  /** The write worker that creates tickets (embedded database only; set by buildApp). */
  writers: WritePool | null;
  /** Where the queue and creation run (a worker or this thread): what their routes call. */
  dispatcher: Dispatcher;
  /** Where the queue's total stops counting (tickets/count.ts); tests lower it to try "1,000+" on a few tickets. */
  ticketCountCap: number;
}

export function createServices(ctx: AppContext): Services {
  const users = new UsersService(ctx);
  const categories = new CategoriesService(ctx);
  const customers = new CustomersService(ctx);
  const notify = new NotifyService(ctx);
  const sla = new SlaService(ctx);
  const routing = new RoutingService(ctx);
  const settings = new SettingsService(ctx);
  const tickets = new TicketsService(ctx, customers, categories, users, sla, routing, settings);
  tickets.notifier = notify;
  // Other nodes (PostgreSQL) see directory edits when their caches expire (10 s); this node at once.
  users.onDirectoryChange(() => {
    tickets.forgetDirectory();
    routing.invalidate();
  });
  const links = new LinksService(ctx);
  const messages = new MessagesService(ctx, links, notify);
  tickets.messenger = messages;
  const auth = new AuthService(ctx);
  // Revocation takes effect on this node at once; other nodes' identity caches expire within 5 s.
  users.onCredentialsEnded((userId, keepSession) => auth.forgetUser(userId, keepSession));
  const products = new ProductsService(ctx);
  products.onChanged = () => sla.invalidate();
  const units = new UnitsService(ctx);
  const kb = new KbService(ctx, tickets);
  const kbSearch = new KbSearch(ctx, kb, tickets);
  const kbFeedback = new KbFeedback(ctx, kb);
  const subtasks = new SubtasksService(ctx, tickets);
  const field = new FieldConfig(ctx, sla);
  const inspections = new InspectionsService(ctx, tickets);
  // Closing an inspection's ticket completes its occurrence.
  tickets.core.closedHooks.push((trx, actor, row) => inspections.ticketClosed(trx, actor.id, row.id));
  const activeActor = async (id: number) => {
    const row = await ctx.db.read.selectFrom('users').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
    return row ? actorOf(row) : null;
  };
  const parts = new PartsService(ctx, tickets, notify);
  const visits = new VisitsService(ctx, tickets, field, new VisitParts(parts.moves));
  const attachments = new AttachmentsService(ctx, tickets);
  const visitWork = new VisitWork(ctx, tickets, visits, parts.moves, attachments);
  const visitCharges = new VisitCharges(ctx, tickets, visits, visitWork);
  const services: Omit<Services, 'dispatcher'> = {
    ctx,
    auth,
    users,
    categories,
    customers,
    products,
    units,
    unitImport: new UnitImport(ctx, units),
    tickets,
    attachments,
    sla,
    routing,
    notify,
    slaAdmin: new SlaAdminService(ctx, sla),
    routingAdmin: new RoutingAdminService(ctx, routing),
    resolution: new ResolutionService(ctx, tickets, sla),
    subtasks,
    settings,
    links,
    portal: new PortalService(ctx, links),
    kb,
    kbSearch,
    kbFeedback,
    assist: new AssistService(ctx, kb, kbSearch, kbFeedback),
    messages,
    surveys: new SurveysService(ctx, tickets, links, sla),
    parts,
    visits,
    visitWork,
    visitCharges,
    visitReport: new VisitReportReader(ctx, visits, visitCharges),
    dispatchBoard: new DispatchBoard(ctx, tickets, sla, field),
    settlement: new SettlementService(ctx, field),
    phoneGuidance: new PhoneGuidance(ctx, tickets, subtasks),
    installation: new InstallationService(ctx, tickets, units),
    inspections,
    inspectionSweep: new InspectionSweep(ctx, inspections, tickets, subtasks, notify, activeActor),
    careReminders: new CareReminders(ctx, messages),
    repeatRepairs: new RepeatRepairs(ctx, tickets),
    returns: new ReturnsService(ctx, tickets, units),
    providers: new ProvidersService(ctx, users),
    fieldAdmin: new FieldAdmin(ctx, field),
    readers: null,
    ticketCountCap: QUEUE_COUNT_CAP,
    writers: null,
  };
  services.portal.accounts.onCredentialsEnded = (userId) => auth.forgetUser(userId);
  // A visit report's fault class is the ticket's too when repeat repairs are matched.
  services.repeatRepairs.addFaultClassSource(visitFaultClasses);
  // Sign-in codes and invitations reach the customer through the customer messages (outbox, SMS / e-mail).
  services.portal.signin.messages = messages;
  // The dispatcher reads the pools per call: buildApp sets them after this.
  return Object.assign(services, { dispatcher: new Dispatcher(services) });
}

/** Clears a cache because the other thread changed its table (see AppContext.cacheChanged). */
export function applyCacheChange(s: Services, cache: CacheName): void {
  switch (cache) {
    case 'directory':
      s.users.directoryChanged();
      break;
    case 'routing':
      s.routing.invalidate();
      break;
    case 'sla':
      s.sla.invalidate();
      break;
    case 'categories':
      s.categories.invalidate();
      break;
    case 'webhooks':
      s.notify.forgetWebhooks();
      break;
    case 'settings':
      s.settings.invalidate();
      break;
    case 'messages':
      s.messages.invalidate();
      break;
  }
}
