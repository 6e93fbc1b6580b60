import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsString, Matches, ValidateBy } from 'class-validator';
import { IsOmittable } from '@app/common';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** An empty cart (or a body that is not JSON) is a mistake, not a valid no-op. */
const NotEmptyCart = () =>
  ValidateBy({
    name: 'notEmptyCart',
    validator: {
      validate: (_: unknown, args) => {
        const o = args?.object as Partial<CartDto>;
        return (
          (Array.isArray(o.add) ? o.add.length : 1) + (Array.isArray(o.drop) ? o.drop.length : 1) >
          0
        );
      },
      defaultMessage: () => 'send at least one course id in add or drop',
    },
  });

/** A cart: sections to add and to drop (at most 10 of each, checked as CART_TOO_LARGE). */
export class CartDto {
  @ApiProperty({ type: [String], required: false, example: ['CS201-2026-FALL'], maxItems: 10 })
  @NotEmptyCart()
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'each of $property must be a course id' })
  add: string[] = [];

  @ApiProperty({ type: [String], required: false, example: ['CS101-2026-FALL'], maxItems: 10 })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'each of $property must be a course id' })
  drop: string[] = [];
}

/** A cart to submit or validate: the cart, and whether a full section's add joins its waitlist. */
export class SubmitCartDto extends CartDto {
  @ApiProperty({
    required: false,
    example: false,
    description:
      "an add on a full section joins its waitlist (status `waitlisted`, `position`) in the cart's transaction; WAITLIST_FULL when its list is full",
  })
  @IsOmittable()
  @IsBoolean()
  waitlist?: boolean;
}
