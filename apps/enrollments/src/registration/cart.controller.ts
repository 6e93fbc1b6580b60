import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { CacheEvict, RateLimitedRead, RateLimitedWrite } from '@app/cache';
import { ApiErrors, DomainError } from '@app/common';
import type { ErrorCode } from '@app/common';
import { Tags } from '@app/data';
import { cartProblems, CartLine, VIOLATION_CODES } from '@app/registration';
import { CartService } from './cart.service';
import { CartSubmitResponse } from './dto/cart-submit.response';
import { SubmitCartDto } from './dto/cart.dto';
import { EligibilityLoader } from './eligibility.loader';
import { IdempotencyKey } from './idempotency-key';

export class CartRefused extends DomainError {
  constructor(code: ErrorCode) {
    super(
      code,
      code === 'CART_TOO_LARGE'
        ? 'a cart holds at most 10 adds and 10 drops'
        : 'a section cannot be both added and dropped',
    );
  }
}

@ApiTags('registrations')
@Controller('registrations')
@Roles('student')
export class CartController {
  constructor(
    private readonly eligibility: EligibilityLoader,
    private readonly carts: CartService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Submit a cart: every add and drop in one transaction, or nothing',
    description:
      'The cart is checked as POST /api/registrations/validate checks it, on one snapshot; any ' +
      "violation refuses the whole cart (the first violation's code, every one in `violations`; " +
      'COURSE_FULL alone stays 409). A swap `{ add: [B], drop: [A] }` keeps A when B cannot be had. ' +
      "A drop after the term's drop deadline is a withdrawal. One email lists every change. " +
      'With `waitlist: true` an add on a full section joins its waitlist in the same transaction ' +
      "(status `waitlisted`, `position`; WAITLIST_FULL when the list is full); the cart's drops " +
      'still apply (a drop is not kept for a waitlisted add).',
  })
  @ApiCreatedResponse({
    type: CartSubmitResponse,
    description: 'applied (a replay of the first answer carries Idempotent-Replayed: true)',
  })
  @ApiErrors(
    'CART_TOO_LARGE',
    'CART_ADD_AND_DROP',
    'INVALID_IDEMPOTENCY_KEY',
    'COURSE_NOT_FOUND',
    'NOT_ENROLLED',
    'ALREADY_ENROLLED',
    'ALREADY_WITHDRAWN',
    'ALREADY_WAITLISTED',
    'WAITLIST_FULL',
    'WITHDRAW_DEADLINE_PASSED',
    'CONCURRENT_UPDATE',
    'IDEMPOTENCY_IN_PROGRESS',
    'IDEMPOTENCY_KEY_REUSED',
    ...VIOLATION_CODES, // the registration rules: 422, COURSE_FULL 409
    'OVERLOADED',
  )
  @RateLimitedWrite()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'replays the first response for 24 h',
  })
  @CacheEvict({
    tags: (ctx) => {
      const body = ctx.body as SubmitCartDto;
      return [
        Tags.userEnrollments(ctx.user!.sub),
        ...[...(body.add ?? []), ...(body.drop ?? [])].flatMap((id) => [
          Tags.seats(id),
          Tags.roster(id),
        ]),
      ];
    },
  })
  async submit(
    @Body() dto: SubmitCartDto,
    @CurrentUser() user: AuthUser,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const problem = cartProblems(dto.add, dto.drop);
    if (problem) throw new CartRefused(problem as ErrorCode);
    const result = await this.carts.submit(user, dto.add, dto.drop, key, dto.waitlist === true);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a cart against the registration rules (writes nothing)' })
  @ApiOkResponse({
    description:
      '{ valid, results: [{ course_id, action, ok, violations, waitlisted? }] }; with `waitlist: true` ' +
      "a full section's add is `waitlisted: true` (or WAITLIST_FULL), as the submit would do",
  })
  @ApiErrors('CART_TOO_LARGE', 'CART_ADD_AND_DROP')
  @RateLimitedRead()
  async validate(
    @Body() dto: SubmitCartDto,
    @CurrentUser() user: AuthUser,
  ): Promise<{ valid: boolean; results: CartLine[] }> {
    const problem = cartProblems(dto.add, dto.drop);
    if (problem) throw new CartRefused(problem as ErrorCode);
    const results = await this.eligibility.checkCart(user.sub, dto.add, dto.drop, {
      waitlist: dto.waitlist === true,
    });
    return { valid: results.every((r) => r.ok), results };
  }
}
