import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';

/** Anyone may call the route; a token, when sent, is still verified and attached. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
