import { Router } from 'express';
import { currentUser } from '../web/auth-guards.js';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const user = currentUser(req);
    res.redirect(user.role === 'admin' ? '/admin/users' : '/people');
  });
  return router;
}
