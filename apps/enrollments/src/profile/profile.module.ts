import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { ProfileController } from './profile.controller';

@Module({ imports: [DataModule], controllers: [ProfileController] })
export class ProfileModule {}
