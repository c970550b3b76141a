// Routes: the directory (users, departments).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Department, id, IdParams, User, UserCreateBody, UserPatchBody, UsersQuery } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';

export function userRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/users', { schema: { tags: ['users'], querystring: UsersQuery, response: { 200: z.object({ items: z.array(User) }) } } }, async (req) => ({
    items: await s.users.list(actorOf(req), req.query, requestLanguage(req)),
  }));
  r.post('/api/users', { schema: { tags: ['users'], summary: 'Create a user (admin)', body: UserCreateBody, response: { 201: User } } }, async (req, reply) =>
    reply.status(201).send(await s.users.create(actorOf(req), req.body, requestLanguage(req))),
  );
  r.patch(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'Change a user: name, role, department, skills, active, password (admin)', params: IdParams, body: UserPatchBody, response: { 200: User } } },
    async (req) => s.users.update(actorOf(req), req.params.id, req.body, requestLanguage(req), req.sessionHash),
  );
  r.patch(
    '/api/departments/:id',
    { schema: { tags: ['users'], summary: 'Set the head of a department (admin)', params: IdParams, body: z.object({ managerId: id.nullable() }), response: { 200: Department } } },
    async (req) => s.users.setDepartmentManager(actorOf(req), req.params.id, req.body.managerId, requestLanguage(req)),
  );
  r.get('/api/departments', { schema: { tags: ['users'], response: { 200: z.object({ items: z.array(Department) }) } } }, async (req) => ({
    items: await s.users.listDepartments(actorOf(req), requestLanguage(req)),
  }));
}
