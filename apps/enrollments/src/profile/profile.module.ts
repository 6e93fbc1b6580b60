import { Module } from '@nestjs/common';
import { RateLimitModule } from '@app/cache';
import { DataModule } from '@app/data';
import { ProfileController } from './profile.controller';

@Module({ imports: [DataModule, RateLimitModule], controllers: [ProfileController] })
export class ProfileModule {}
