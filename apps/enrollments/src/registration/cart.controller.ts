import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@app/auth';
import { CurrentUser, Roles } from '@app/auth';
import { RateLimitedRead } from '@app/cache';
import { ApiErrors, DomainError } from '@app/common';
import type { ErrorCode } from '@app/common';
import { cartProblems, CartLine } from '@app/registration';
import { CartDto } from './dto/cart.dto';
import { EligibilityLoader } from './eligibility.loader';

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
  constructor(private readonly eligibility: EligibilityLoader) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a cart against the registration rules (writes nothing)' })
  @ApiOkResponse({ description: '{ valid, results: [{ course_id, action, ok, violations }] }' })
  @ApiErrors('CART_TOO_LARGE', 'CART_ADD_AND_DROP')
  @RateLimitedRead()
  async validate(
    @Body() dto: CartDto,
    @CurrentUser() user: AuthUser,
  ): Promise<{ valid: boolean; results: CartLine[] }> {
    const problem = cartProblems(dto.add, dto.drop);
    if (problem) throw new CartRefused(problem as ErrorCode);
    const results = await this.eligibility.checkCart(user.sub, dto.add, dto.drop);
    return { valid: results.every((r) => r.ok), results };
  }
}
